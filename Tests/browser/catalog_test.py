#!/usr/bin/env python3
"""The catalog in a real browser: headless Chromium through WebDriver (Selenium).

Builds a small demo store with the shipped rules plus a test tag with a Chinese
title (and hostile text in its description and values), runs the rules twice,
starts the real `tagd serve` on loopback, and checks what issue 11 lists:

- the search narrows the results as one types (also in Chinese);
- the category tree opens;
- a tag page's coverage equals GET /v1/tags/{name};
- the trend chart has one point per run;
- related tags list a known overlapping tag, with the count SQL gives;
- script in a title, description or value is shown as text;
- unknown tags and members get a 404 page with a search box;
- an approver signs in and approves a proposal, while an operator cannot;
  a changed file refuses the stale approval; forged or missing CSRF tokens
  and expired sessions are refused, audited, and change nothing.

Screenshots of every page at 1280x800 and 390 px wide go to the folder given
with --screenshots (default .build/screenshots).

    python Tests/browser/catalog_test.py --tagd .build/debug/tagd
"""

import argparse
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The test tag: a Chinese title, hostile markup in its description and its value.
VIP_RULE = """-- A test tag with a Chinese title: members who spent over {limit} in 365 days.
return tag "vip_cn" {{
  title       = "高价值会员",
  category    = "value/vip/cn",
  owner       = "crm-cn",
  kind        = "label",
  refresh     = "daily at 04:00",
  description = "Spent over {limit} <script>document.title='pwned'</script> 年度消费",

  features = {{
    spend = sum("orders.amount", {{ within = "365d", where = {{ paid = true }} }}),
  }},

  evaluate = function(m)
    if m.spend > {limit} then return "<b>gold</b>" end
    return nil
  end,
}}
"""

failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


class Tagd:
    """The CLI and the running server over one scratch store."""

    def __init__(self, binary, work):
        self.binary = binary
        self.work = work
        self.store = os.path.join(work, "store.sqlite")
        self.rules = os.path.join(work, "rules")
        self.plugins = os.path.join(work, "plugins")
        self.server = None
        self.port = None

    def cli(self, *args):
        command = [self.binary, *args, "--store", self.store, "--rules", self.rules, "--plugins", self.plugins]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def token(self, user):
        out = self.cli("token", "create", "--for", user, "--label", "browser-test")
        return next(word for word in out.split() if word.startswith("tagd_"))

    def serve(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        log = open(os.path.join(self.work, "serve.log"), "w")
        self.server = subprocess.Popen(
            [self.binary, "serve", "--port", str(self.port), "--store", self.store, "--rules", self.rules,
             "--plugins", self.plugins, "--exports", os.path.join(self.work, "exports")],
            stdout=log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                urllib.request.urlopen(self.url("/healthz"), timeout=1)
                return
            except Exception:
                time.sleep(0.1)
        sys.exit("tagd serve did not come up")

    def stop(self):
        if self.server:
            self.server.terminate()
            self.server.wait(timeout=30)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def api(self, path, token):
        request = urllib.request.Request(self.url(path), headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def post_form(self, path, fields, cookie=None):
        """A form POST outside the browser (for forged requests); returns (status, body)."""
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if cookie:
            headers["Cookie"] = f"tagd_session={cookie}"
        request = urllib.request.Request(self.url(path), data=urllib.parse.urlencode(fields).encode(), headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browser():
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en-US",
                 "--window-size=1280,800", "--hide-scrollbars"]:
        options.add_argument(flag)
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    driver.implicitly_wait(3)  # after a click, the next page's elements
    return driver


class Shots:
    def __init__(self, driver, folder):
        self.driver = driver
        self.folder = folder
        os.makedirs(folder, exist_ok=True)

    def viewport(self, width, height):
        """Sizes the window so that the page itself (the viewport) is width x height."""
        d = self.driver
        d.set_window_size(width, height)
        inner = d.execute_script("return [window.innerWidth, window.innerHeight]")
        d.set_window_size(width + (width - inner[0]), height + (height - inner[1]))
        time.sleep(0.2)

    def take(self, name):
        """Desktop 1280x800 (and the whole page), then phone 390 px wide (whole page)."""
        d = self.driver
        self.viewport(1280, 800)
        d.save_screenshot(os.path.join(self.folder, f"{name}-1280x800.png"))
        for width, label in [(1280, "desktop-full"), (390, "phone-390")]:
            self.viewport(width, 800)
            height = d.execute_script("return document.documentElement.scrollHeight")
            self.viewport(width, min(max(height, 800), 6000))
            d.save_screenshot(os.path.join(self.folder, f"{name}-{label}.png"))
        self.viewport(1280, 800)


def sign_in(driver, tagd, token):
    driver.delete_all_cookies()
    driver.get(tagd.url("/"))
    check("/sign-in" in driver.current_url, "a page without a session sends the browser to the sign-in form")
    driver.find_element(By.ID, "token").send_keys(token)
    driver.find_element(By.ID, "sign-in").click()
    wait_for("the sign-in sets the session cookie", lambda: driver.get_cookie("tagd_session") is not None, 10)
    cookie = driver.get_cookie("tagd_session")
    check(cookie is not None and cookie.get("httpOnly") and cookie.get("sameSite") == "Strict" and cookie.get("expiry"),
          "the session cookie is HttpOnly, SameSite=Strict and expires")
    return cookie["value"] if cookie else None


def visible_rows(driver):
    return [row.get_attribute("data-name") for row in driver.find_elements(By.CSS_SELECTOR, "#results tbody tr") if row.is_displayed()]


def wait_for(what, condition, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    check(False, f"{what} (waited {seconds} s)")
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tagd", default=os.path.join(ROOT, ".build/debug/tagd"))
    parser.add_argument("--screenshots", default=os.path.join(ROOT, ".build/screenshots"))
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="tagd-catalog-")
    tagd = Tagd(os.path.abspath(args.tagd), work)
    shutil.copytree(os.path.join(ROOT, "rules"), tagd.rules)
    shutil.copytree(os.path.join(ROOT, "plugins"), tagd.plugins)
    vip = os.path.join(tagd.rules, "custom", "vip_cn.lua")
    os.makedirs(os.path.dirname(vip))
    with open(vip, "w") as f:
        f.write(VIP_RULE.format(limit=500))

    print("building the demo store (500 members) ...", flush=True)
    tagd.cli("demo", "--members", "500")
    tagd.cli("run")  # a second run of every tag: two points per trend
    tagd.cli("user", "add", "ann", "--role", "approver")
    tagd.cli("user", "add", "otto", "--role", "operator")
    ann, otto = tagd.token("ann"), tagd.token("otto")
    tagd.serve()
    driver = browser()
    shots = Shots(driver, args.screenshots)
    try:
        run_checks(tagd, driver, shots, ann, otto, vip)
    finally:
        driver.quit()
        tagd.stop()
    if failures:
        print(f"\n{len(failures)} browser checks failed; the server's log is in {work}/serve.log", file=sys.stderr)
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)
    print(f"catalog_test: all browser checks passed; screenshots in {args.screenshots}")


def run_checks(tagd, driver, shots, ann, otto, vip):
    # --- sign-in as an operator --------------------------------------------------
    driver.get(tagd.url("/"))
    shots.take("sign-in")
    otto_session = sign_in(driver, tagd, otto)
    check(driver.find_element(By.CSS_SELECTOR, ".who").text.startswith("otto"), "the header shows the signed-in operator")
    csp = urllib.request.urlopen(urllib.request.Request(tagd.url("/sign-in"))).headers.get("Content-Security-Policy", "")
    check("default-src 'none'" in csp and "script-src 'self'" in csp, "pages set a strict Content-Security-Policy")

    # --- search narrows as typed ------------------------------------------------
    everything = visible_rows(driver)
    check(len(everything) >= 12 and "vip_cn" in everything, f"the home page lists every tag and segment ({len(everything)})")
    box = driver.find_element(By.ID, "q")
    counts = []
    for character in "rfm_s":
        box.send_keys(character)
        counts.append(len(visible_rows(driver)))
    check(counts == sorted(counts, reverse=True) and counts[-1] == 1 and visible_rows(driver) == ["rfm_score"],
          f"typing 'rfm_s' narrows the results step by step {counts}")
    box.clear()
    box.send_keys("a")  # an input event after clearing
    box.clear()
    for character in "高价值":
        box.send_keys(character)
    check(visible_rows(driver) == ["vip_cn"], "a Chinese search matches the Chinese title")
    box.clear()
    box.send_keys("crm-cn")
    check(visible_rows(driver) == ["vip_cn"], "the search matches owners")
    box.clear()
    box.send_keys("年度消费")
    check(visible_rows(driver) == ["vip_cn"], "the search matches descriptions")
    driver.get(tagd.url("/?q=pull_new"))
    check(sorted(visible_rows(driver)) == ["pull_new_pet_interested", "pull_new_pet_never", "pull_new_pet_unpaid"],
          "without script, the search form filters on the server")
    driver.get(tagd.url("/"))
    shots.take("home")

    # --- the tree opens ----------------------------------------------------------
    value = driver.find_element(By.CSS_SELECTOR, "#tree details[data-path='value']")
    check(value.get_attribute("open") is None, "the category tree starts closed")
    link = driver.find_element(By.CSS_SELECTOR, "#tree details[data-path='value/vip/cn'] a")
    check(not link.is_displayed(), "a tag deep in the tree is hidden while its nodes are closed")
    value.find_element(By.TAG_NAME, "summary").click()
    driver.find_element(By.CSS_SELECTOR, "#tree details[data-path='value/vip'] > summary").click()
    driver.find_element(By.CSS_SELECTOR, "#tree details[data-path='value/vip/cn'] > summary").click()
    check(value.get_attribute("open") is not None and link.is_displayed(), "clicking the nodes opens the tree down to value/vip/cn")
    count = driver.find_element(By.CSS_SELECTOR, "#tree details[data-path='value'] > summary .n").text
    values = [t for t in tagd.api("/v1/tags", otto)["tags"] if (t.get("category") or "").startswith("value/")]
    check(count == str(len(values)) and len(values) >= 4, f"the 'value' node counts the tags below it ({count} of {len(values)})")
    shots.take("tree")

    # --- a tag page --------------------------------------------------------------
    link.click()
    check(driver.current_url.endswith("/tags/vip_cn"), "a tree leaf opens the tag page")
    detail = tagd.api("/v1/tags/vip_cn", otto)
    holders = int(driver.find_element(By.ID, "holders").get_attribute("data-holders"))
    check(holders == detail["holders"] and holders > 0, f"coverage on the page ({holders}) equals GET /v1/tags/vip_cn ({detail['holders']})")
    check(driver.find_element(By.ID, "title").text == "高价值会员", "the Chinese title is shown")
    check("<script>" in driver.find_element(By.ID, "description").text and driver.title.startswith("高价值会员"),
          "script in a description is shown as text and never runs")
    bars = driver.find_elements(By.CSS_SELECTOR, "#coverage svg g.bar")
    check([b.get_attribute("data-value") for b in bars] == ["<b>gold</b>"] and not driver.find_elements(By.CSS_SELECTOR, "#coverage b"),
          "a value with markup is drawn as text in the distribution chart")
    runs = [r for r in detail["runs"] if r["status"] == "succeeded"]
    points = driver.find_elements(By.CSS_SELECTOR, "#trend svg circle.pt")
    check(len(points) == len(runs) == 2, f"the trend chart has one point per run ({len(points)} points, {len(runs)} runs)")
    check([int(p.get_attribute("data-run")) for p in points] == sorted(r["id"] for r in runs), "the points are the runs, oldest first")
    db = sqlite3.connect(f"file:{tagd.store}?mode=ro", uri=True)
    both = db.execute("""SELECT count(*) FROM member_tags a JOIN member_tags b ON a.member_id = b.member_id
                         WHERE a.tag_id = (SELECT id FROM tags WHERE name = 'vip_cn')
                           AND b.tag_id = (SELECT id FROM tags WHERE name = 'rfm_class')""").fetchone()[0]
    related = driver.find_elements(By.CSS_SELECTOR, "#overlaps tr[data-tag='rfm_class'] td")
    check(related and int(related[1].text.replace(",", "")) == both == holders,
          f"related tags list rfm_class, which every vip_cn holder has ({both})")
    source = driver.find_elements(By.CSS_SELECTOR, "#source ol.source li")
    check(len(source) > 10 and "return tag \"vip_cn\"" in source[1].text, "the live source is shown with line numbers")
    check("demo" in driver.find_element(By.ID, "lifecycle").text, "the lifecycle lists who approved")
    shots.take("tag")

    driver.get(tagd.url("/tags/rfm_class"))
    related_text = driver.find_element(By.ID, "related").text
    check("south_vip_high_level" in related_text, "rfm_class's page lists the segment that reads it")
    shots.take("tag-rfm_class")

    # --- a segment page ----------------------------------------------------------
    driver.get(tagd.url("/tags/pull_new_pet_interested"))
    check(driver.find_elements(By.CSS_SELECTOR, "#reach td") and "sms" in driver.find_element(By.ID, "reach").text,
          "the segment page lists its reach plugins with outbox counts")
    export = driver.find_element(By.ID, "export").get_attribute("href")
    request = urllib.request.Request(export, headers={"Cookie": f"tagd_session={otto_session}"})
    with urllib.request.urlopen(request) as response:
        csv = response.read().decode().splitlines()
    seg = tagd.api("/v1/tags/pull_new_pet_interested", otto)
    check(csv[0].startswith("member,") and len(csv) - 1 == seg["holders"], f"the export link gives every member ({len(csv) - 1})")
    shots.take("segment")

    # --- a member page -----------------------------------------------------------
    member = db.execute("""SELECT m.external_id FROM member_tags mt JOIN members m ON m.id = mt.member_id
                           WHERE mt.tag_id = (SELECT id FROM tags WHERE name = 'vip_cn') LIMIT 1""").fetchone()[0]
    driver.get(tagd.url(f"/members/{urllib.parse.quote(member)}"))
    check(driver.find_element(By.ID, "member").text == member and "vip_cn" in driver.find_element(By.ID, "tags").text,
          "the member page shows the member's live tags")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#timeline tbody tr")) > 0, "the member page has a timeline")
    shots.take("member")
    for path in ["/tags/no_such_tag", "/members/NOBODY%3Cscript%3E"]:
        driver.get(tagd.url(path))
        check(driver.find_elements(By.CSS_SELECTOR, "main input[type=search]") and driver.find_element(By.CSS_SELECTOR, "main h1").text == "Not found",
              f"{path} answers a not-found page with a search box")
    shots.take("not-found")

    # --- a proposal: the operator cannot decide ---------------------------------
    with open(vip, "w") as f:
        f.write(VIP_RULE.format(limit=400))
    wait_for("the edited rule becomes a proposal",
             lambda: any(p["tag"] == "vip_cn" for p in tagd.api("/v1/pending", otto)))
    live_before = tagd.api("/v1/tags/vip_cn", otto)["overview"]["liveVersion"]
    driver.get(tagd.url("/approvals"))
    proposal = driver.find_element(By.ID, "vip_cn")
    check("+" in proposal.find_element(By.CSS_SELECTOR, "pre.diff").text and proposal.find_elements(By.CSS_SELECTOR, "pre.diff .add"),
          "the approvals page shows the diff against the live version")
    check(not proposal.find_elements(By.CSS_SELECTOR, "form.decision"), "an operator gets no decision form")
    waiting = len(tagd.api("/v1/pending", otto))
    said = f"{waiting} proposals wait." if waiting != 1 else "1 proposal waits."
    check(any(said in e.text for e in driver.find_elements(By.CSS_SELECTOR, "p.sub")),
          "the approvals page counts the proposals in words")
    shots.take("approvals-operator")
    version = tagd.api("/v1/pending", otto)
    full = next(p for p in version if p["tag"] == "vip_cn")["version"]
    otto_csrf = driver.find_element(By.CSS_SELECTOR, "header input[name=csrf]").get_attribute("value")
    status, body = tagd.post_form("/approvals/vip_cn/decide", {"csrf": otto_csrf, "version": "x", "action": "approve"}, otto_session)
    check(status == 403 and "needs approver" in body, f"an operator's approval is refused ({status})")

    # --- the approver --------------------------------------------------------------
    ann_session = sign_in(driver, tagd, ann)
    driver.get(tagd.url("/approvals"))
    form = driver.find_element(By.CSS_SELECTOR, "#vip_cn form.decision")
    page_version = form.find_element(By.NAME, "version").get_attribute("value")
    check(page_version.startswith(full), "the form carries the full hash of the version shown")
    shots.take("approvals-approver")
    driver.find_element(By.CSS_SELECTOR, "#vip_cn a[href$='/plan']").click()
    check(driver.find_elements(By.ID, "plan"), "the plan page shows what approving would change")
    shots.take("plan")
    driver.back()

    ann_csrf = driver.find_element(By.CSS_SELECTOR, "header input[name=csrf]").get_attribute("value")
    fields = {"version": page_version, "action": "approve"}
    status, _ = tagd.post_form("/approvals/vip_cn/decide", fields, ann_session)
    check(status == 403, f"a decision without a CSRF token is refused ({status})")
    status, _ = tagd.post_form("/approvals/vip_cn/decide", {**fields, "csrf": "0" * 64}, ann_session)
    check(status == 403, f"a decision with a forged CSRF token is refused ({status})")
    status, _ = tagd.post_form("/approvals/vip_cn/decide", {**fields, "csrf": ann_csrf}, "f" * 64)
    check(status == 401, f"a decision without a known session is refused ({status})")
    # An expired session: sign in once more outside the browser and age that session in the store.
    expired = urllib.request.build_opener(NoRedirect)
    form_page = urllib.request.urlopen(tagd.url("/sign-in"))
    sign_in_cookie = form_page.headers.get("Set-Cookie").split(";")[0]
    form_csrf = form_page.read().decode().split('name="csrf" value="')[1].split('"')[0]
    try:
        expired.open(urllib.request.Request(tagd.url("/sign-in"), headers={"Cookie": sign_in_cookie},
                                            data=urllib.parse.urlencode({"csrf": form_csrf, "token": ann}).encode()))
    except urllib.error.HTTPError as answer:
        old_session = answer.headers.get("Set-Cookie").split(";")[0].split("=", 1)[1]
    writer = sqlite3.connect(tagd.store, timeout=10)
    writer.execute("UPDATE web_sessions SET expires_at = 1 WHERE hash = ?", (hashlib.sha256(old_session.encode()).hexdigest(),))
    writer.commit()
    writer.close()
    status, body = tagd.post_form("/approvals/vip_cn/decide", {**fields, "csrf": ann_csrf}, old_session)
    check(status == 401 and "session expired" in body, f"a decision in an expired session is refused ({status})")
    check(tagd.api("/v1/tags/vip_cn", otto)["overview"]["liveVersion"] == live_before, "after the refusals nothing changed")

    # The file changes while the approver looks at the page: the stale approval is refused.
    driver.get(tagd.url("/approvals"))
    with open(vip, "w") as f:
        f.write(VIP_RULE.format(limit=300))
    wait_for("the second edit becomes the proposal",
             lambda: next((p for p in tagd.api("/v1/pending", otto) if p["tag"] == "vip_cn"), {}).get("version") != full)
    driver.find_element(By.CSS_SELECTOR, "#vip_cn button[value=approve]").click()
    check("changed since" in driver.find_element(By.ID, "message").text, "approving a version the file no longer has is refused and says so")
    check(tagd.api("/v1/tags/vip_cn", otto)["overview"]["liveVersion"] == live_before, "the stale approval changed nothing")
    shots.take("approval-refused")

    # Now the approver approves the version on the page.
    driver.get(tagd.url("/approvals"))
    shown = driver.find_element(By.CSS_SELECTOR, "#vip_cn form.decision input[name=version]").get_attribute("value")
    driver.find_element(By.CSS_SELECTOR, "#vip_cn input[name=reason]").send_keys("reviewed in the browser <i>test</i>")
    driver.find_element(By.CSS_SELECTOR, "#vip_cn button[value=approve]").click()
    check("approved" in driver.find_element(By.ID, "notice").text, "the approver's approval succeeds")
    live_after = tagd.api("/v1/tags/vip_cn", otto)["overview"]["liveVersion"]
    check(shown.startswith(live_after) and live_after != live_before, f"exactly the version shown is live ({live_after})")
    shots.take("approved")
    audit = tagd.api("/v1/audit", ann)
    reasons = " | ".join(e.get("reason") or "" for e in audit if e["action"] == "denied")
    for reason in ["missing CSRF token", "forged CSRF token", "session expired", "no session", "needs approver"]:
        check(reason in reasons, f"the refusal '{reason}' is in the audit log")
    check(any(e["action"] == "approve" and e["actor"] == "ann" and e["tag"] == "vip_cn" for e in audit),
          "the approval is audited as ann's")
    check(any(e["action"] == "web_sign_in" and e["actor"] == "ann" for e in audit), "sign-ins are audited")


if __name__ == "__main__":
    main()
