#!/usr/bin/env python3
"""p50/p99 latency of every catalog page against a running `tagd serve`.

Signs in with an API token (the browser's way: the sign-in form, then the
session cookie), then requests each page REQUESTS times from CONCURRENCY
threads over keep-alive connections, and prints one line per page.

    python3 Benchmarks/catalog_latency.py URL TOKEN [--requests 200] [--concurrency 1] [--members-from N]
"""

import argparse
import http.client
import random
import statistics
import threading
import time
import urllib.parse


def sign_in(host, port, token):
    c = http.client.HTTPConnection(host, port, timeout=60)
    c.request("GET", "/sign-in")
    r = c.getresponse()
    body = r.read().decode()
    cookie = r.getheader("Set-Cookie").split(";")[0]
    csrf = body.split('name="csrf" value="')[1].split('"')[0]
    form = urllib.parse.urlencode({"csrf": csrf, "token": token, "next": "/"})
    c.request("POST", "/sign-in", body=form, headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    r = c.getresponse()
    r.read()
    session = [h for k, h in r.getheaders() if k.lower() == "set-cookie" and h.startswith("tagd_session=")]
    if r.status != 303 or not session:
        raise SystemExit(f"sign-in failed: {r.status}")
    return session[0].split(";")[0]


def measure(host, port, cookie, paths, requests, concurrency):
    """Latencies in ms of `requests` GETs spread over `paths` (a list, or a function giving a path)."""
    latencies, errors = [], []
    lock = threading.Lock()
    per_thread = max(requests // concurrency, 1)

    def worker(seed):
        rng = random.Random(seed)
        c = http.client.HTTPConnection(host, port, timeout=120)
        for _ in range(per_thread):
            path = paths(rng) if callable(paths) else rng.choice(paths)
            started = time.perf_counter()
            c.request("GET", path, headers={"Cookie": cookie})
            r = c.getresponse()
            r.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if r.status != 200:
                    errors.append(f"{path}: {r.status}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("token")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--members-from", type=int, default=1_000_000, help="members are M0000001 ... M<N>")
    parser.add_argument("--tags", default="rfm_class,rfm_score,high_value,lifecycle_stage,preferred_category,interest_users,new_customers")
    parser.add_argument("--segment", default="south_vip_high_level")
    args = parser.parse_args()
    target = urllib.parse.urlparse(args.url)
    host, port = target.hostname, target.port or 80
    cookie = sign_in(host, port, args.token)
    pages = [("home /", ["/"]), ("search /?q=rfm", ["/?q=rfm"])]
    pages += [(f"tag /tags/{t}", [f"/tags/{t}"]) for t in args.tags.split(",")]
    pages += [(f"segment /tags/{args.segment}", [f"/tags/{args.segment}"])]
    pages += [("member /members/{random}", lambda rng: f"/members/M{rng.randint(1, args.members_from):07d}")]
    pages += [("approvals /approvals", ["/approvals"])]
    # One request per page first: caches (trend, overlap) fill as after a server's warm-up.
    for _, paths in pages:
        measure(host, port, cookie, paths, 1, 1)
    print(f"{'page':<34} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}  (concurrency {args.concurrency})")
    worst = 0.0
    for name, paths in pages:
        latencies, errors = measure(host, port, cookie, paths, args.requests, args.concurrency)
        p99 = percentile(latencies, 99)
        worst = max(worst, p99)
        line = f"{name:<34} {len(latencies):>5} {statistics.median(latencies):>8.1f} {p99:>8.1f} {max(latencies):>8.1f}"
        if errors:
            line += f"  errors: {len(errors)} (first: {errors[0]})"
        print(line, flush=True)
    print(f"worst page p99: {worst:.1f} ms (target 200 ms)")


if __name__ == "__main__":
    main()
