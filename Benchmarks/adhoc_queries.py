#!/usr/bin/env python3
"""Ad-hoc aggregate queries at scale: `tagd query` against hand-written SQL.

Usage: python3 Benchmarks/adhoc_queries.py STORE.sqlite TAGD AS_OF

Runs each query twice side by side on the same store: `TAGD query --json
--limit 20 --as-of AS_OF` (a fresh process: open the store, parse, compile,
count and list the first page with its value columns) and the equivalent
hand-written SQL count through Python's sqlite3, checks that both count the
same members, and prints the seconds and their ratio (after one untimed run
of the SQL, so that neither side pays for cold pages). Use a copy of a store
(tagd adds its migrations to the file it opens).
"""
import json
import sqlite3
import subprocess
import sys
import time

DAY = 86_400


def window(as_of, days):
    return f"ts <= {as_of} AND ts > {as_of - days * DAY}"


def queries(as_of):
    """(tagd query, hand-written SQL count) pairs."""
    rfm = "(SELECT id FROM tags WHERE name = 'rfm_class')"
    spend90 = f"SELECT member_id FROM orders WHERE {window(as_of, 90)} GROUP BY member_id HAVING total(amount) > 500"
    two30 = f"SELECT member_id FROM orders WHERE {window(as_of, 30)} GROUP BY member_id HAVING count(*) >= 2"
    vip = f"SELECT member_id FROM member_tags WHERE tag_id = {rfm} AND value = 'important_value'"
    intent = (f"SELECT member_id FROM events WHERE {window(as_of, 7)} AND type IN ('cart', 'favourite') "
              "GROUP BY member_id")
    bought7 = f"SELECT member_id FROM orders WHERE {window(as_of, 7)} GROUP BY member_id"
    recent = f"SELECT member_id FROM orders WHERE ts <= {as_of} GROUP BY member_id HAVING ({as_of} - max(ts)) / 86400 <= 30"
    return [
        ("sum(orders.amount, 90d) > 500", f"SELECT count(*) FROM ({spend90})"),
        ("count(orders, 30d) >= 2", f"SELECT count(*) FROM ({two30})"),
        ('sum(orders.amount, 90d) > 500 and count(orders, 30d) >= 2 and rfm_class == "important_value"',
         f"SELECT count(*) FROM ({spend90}) JOIN ({two30}) USING (member_id) JOIN ({vip}) USING (member_id)"),
        ('count(events, 7d, type in ("cart", "favourite")) > 0 and count(orders, 7d) == 0',
         f"SELECT count(*) FROM ({intent}) WHERE member_id NOT IN ({bought7})"),
        ('days_since(orders) <= 30 and region == "south" and level >= 3',
         f"SELECT count(*) FROM ({recent}) r JOIN members m ON m.id = r.member_id WHERE m.region = 'south' AND m.level >= 3"),
    ]


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    store, tagd, as_of_text = sys.argv[1:]
    # Let tagd migrate the copy first, so no run below pays for it.
    started = time.perf_counter()
    subprocess.run([tagd, "query", "level >= 0", "--count", "--store", store], check=True, capture_output=True)
    print(f"first open (pending migrations) {time.perf_counter() - started:.1f} s")
    as_of = int(subprocess.run(["date", "-u", "-d", as_of_text, "+%s"], check=True, capture_output=True, text=True).stdout)
    db = sqlite3.connect(store)
    members = db.execute("SELECT count(*) FROM members").fetchone()[0]
    orders = db.execute("SELECT count(*) FROM orders").fetchone()[0]
    events = db.execute("SELECT count(*) FROM events").fetchone()[0]
    print(f"{members:,} members, {orders:,} orders, {events:,} events, as of {as_of_text}")
    print(f"{'tagd s':>7} {'SQL s':>7} {'ratio':>6} {'members':>9}  query")
    total_tagd = total_sql = 0.0
    for text, sql in queries(as_of):
        db.execute(sql).fetchone()  # warm the page cache for both, so neither pays for the disk
        started = time.perf_counter()
        out = subprocess.run([tagd, "query", text, "--json", "--limit", "20", "--as-of", as_of_text, "--store", store],
                             check=True, capture_output=True, text=True).stdout
        tagd_seconds = time.perf_counter() - started
        started = time.perf_counter()
        expected = db.execute(sql).fetchone()[0]
        sql_seconds = time.perf_counter() - started
        count = json.loads(out)["count"]
        if count != expected:
            sys.exit(f"MISMATCH for {text}: tagd {count}, SQL {expected}")
        total_tagd += tagd_seconds
        total_sql += sql_seconds
        print(f"{tagd_seconds:7.2f} {sql_seconds:7.2f} {tagd_seconds / sql_seconds:5.2f}x {count:9,}  {text}")
    print(f"{total_tagd:7.2f} {total_sql:7.2f} {total_tagd / total_sql:5.2f}x  all (tagd: process, count and first page of 20)")


if __name__ == "__main__":
    main()
