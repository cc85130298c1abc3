#!/usr/bin/env python3
"""The analyst's peer of tagd's RFM tags: DuckDB computing rfm_class and
rfm_score for every member from Parquet, with the shipped rules' definitions.

    python3 -m venv .build/bench-venv && .build/bench-venv/bin/pip install duckdb
    .build/bench-venv/bin/python Benchmarks/duckdb_rfm.py tagd-bench.sqlite 2026-01-01 [TAGD_SECONDS]

Exports the store's orders to Parquet once (not timed), times the query
from Parquet, checks every member's values against the store's live
rfm_class and rfm_score, and, given tagd's refresh time in seconds, prints
the ratio tagd / DuckDB.
"""
import csv
import datetime
import os
import sqlite3
import sys
import time

import duckdb

store, as_of_text = sys.argv[1], sys.argv[2]
tagd_seconds = float(sys.argv[3]) if len(sys.argv) > 3 else None
as_of = int(datetime.datetime.fromisoformat(as_of_text).replace(tzinfo=datetime.timezone.utc).timestamp())
parquet = store + ".orders.parquet"

if not os.path.exists(parquet):
    export = store + ".orders.csv"
    with open(export, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["member_id", "ts", "amount", "paid"])
        rows = sqlite3.connect(store).execute("SELECT member_id, ts, amount, paid FROM orders")
        while batch := rows.fetchmany(200_000):
            writer.writerows(batch)
    duckdb.execute(
        f"COPY (SELECT * FROM read_csv('{export}', header = true, columns = "
        "{'member_id': 'BIGINT', 'ts': 'BIGINT', 'amount': 'DOUBLE', 'paid': 'INTEGER'})) "
        f"TO '{parquet}' (FORMAT PARQUET)")
    os.remove(export)

# The shipped rules: R = whole days since the last paid order; F, M = paid
# orders and amount in the last 365 days; population: F > 0. rfm_class splits
# each on the population mean; rfm_score is pop.ntile(x, 5) = min(5,
# floor(#below / N * 5) + 1), recency turned around.
QUERY = f"""
WITH o AS (SELECT * FROM read_parquet('{parquet}') WHERE paid = 1 AND ts <= {as_of}),
f AS (
  SELECT member_id,
         floor(({as_of} - max(ts)) / 86400.0)::BIGINT AS recency,
         count(*) FILTER (WHERE ts > {as_of - 365 * 86400}) AS frequency,
         coalesce(sum(amount) FILTER (WHERE ts > {as_of - 365 * 86400}), 0) AS monetary
  FROM o GROUP BY member_id),
p AS (SELECT * FROM f WHERE frequency > 0),
s AS (
  SELECT *,
    avg(recency) OVER () AS mr, avg(frequency) OVER () AS mf, avg(monetary) OVER () AS mm,
    count(*) OVER () AS n,
    rank() OVER (ORDER BY recency) - 1 AS br,
    rank() OVER (ORDER BY frequency) - 1 AS bf,
    rank() OVER (ORDER BY monetary) - 1 AS bm
  FROM p)
SELECT member_id,
  CASE WHEN monetary > mm THEN 'important' ELSE 'general' END ||
  CASE WHEN recency < mr AND frequency > mf THEN '_value' WHEN recency < mr THEN '_develop'
       WHEN frequency > mf THEN '_keep' ELSE '_retain' END AS rfm_class,
  'R' || (6 - least(5, floor(br / n * 5) + 1))::INT || 'F' || least(5, floor(bf / n * 5) + 1)::INT
      || 'M' || least(5, floor(bm / n * 5) + 1)::INT AS rfm_score
FROM s
"""

con = duckdb.connect()
started = time.perf_counter()
result = con.execute(QUERY).fetchall()
seconds = time.perf_counter() - started
print(f"DuckDB rfm_class + rfm_score from Parquet, {len(result):,} members: {seconds:.2f} s")

live = {}
for name, member, value in sqlite3.connect(store).execute(
        "SELECT t.name, mt.member_id, mt.value FROM member_tags mt JOIN tags t ON t.id = mt.tag_id "
        "WHERE t.name IN ('rfm_class', 'rfm_score')"):
    live[(name, member)] = value
ours = {(name, member): value for member, c, sc in result for name, value in (("rfm_class", c), ("rfm_score", sc))}
differ = sum(1 for key in set(live) | set(ours) if live.get(key) != ours.get(key))
print(f"values compared with the store's live tags: {len(ours):,} computed, {len(live):,} live, {differ:,} differ")
if tagd_seconds is not None:
    print(f"ratio tagd refresh / DuckDB: {tagd_seconds / seconds:.2f}x")
