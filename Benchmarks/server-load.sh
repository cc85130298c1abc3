#!/usr/bin/env bash
# Server load test: ingest throughput, realtime latency and read latency of
# `tagd serve` over a 1M-member store (tagd bench), with `tagd loadtest`.
#
#   Benchmarks/server-load.sh            # from the package root (or anywhere)
#
# Environment (all optional):
#   SCRATCH=.build     swift build scratch path       STORE=tagd-bench.sqlite
#   PORT=18080         loopback port for tagd serve   MEMBERS=1000000
#   SECONDS_EACH=20    duration of each scenario      CONCURRENCY=8
#   OUT=/tmp/tagd-server-load  logs and JSON          SKIP_BUILD=1 to skip step 1
#
# Scenarios run closed-loop at CONCURRENCY, plus realtime at concurrency 1
# (service time without queueing). Each figure carries the load average
# before it: on a shared machine the figures move with it.
#
# Targets: >= 50,000 events/s batched ingest; realtime p99 < 10 ms;
# read p99 < 20 ms while a full run (`tagd run`) writes.
set -euo pipefail

cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
STORE=${STORE:-tagd-bench.sqlite}
PORT=${PORT:-18080}
MEMBERS=${MEMBERS:-1000000}
SECONDS_EACH=${SECONDS_EACH:-20}
CONCURRENCY=${CONCURRENCY:-8}
OUT=${OUT:-${TMPDIR:-/tmp}/tagd-server-load}
URL="http://127.0.0.1:$PORT"
mkdir -p "$OUT"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime; }

# 1. Build (release).
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "1. swift build -c release --scratch-path $SCRATCH"
  swift build -c release --scratch-path "$SCRATCH" >&2
fi
TAGD="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/tagd"
[[ -x "$TAGD" ]] || { echo "no tagd binary at $TAGD" >&2; exit 1; }

# 2. A 1M-member store (generated and run once by tagd bench; reused when present).
if [[ -f "$STORE" ]]; then
  log "2. reusing $STORE"
else
  log "2. $TAGD bench --members $MEMBERS --store $STORE"
  "$TAGD" bench --members "$MEMBERS" --store "$STORE" | tee "$OUT/bench.txt" >&2
fi
# The bench runs as of 2026-01-01; bring scheduled tags up to date now, so the
# server's scheduler does not start full runs in the middle of the figures.
log "   $TAGD run --due --store $STORE (so nothing is due while measuring)"
"$TAGD" run --due --store "$STORE" > "$OUT/run-due.txt" 2>&1 || { cat "$OUT/run-due.txt" >&2; exit 1; }

# 3. A user and a token (idempotent: the user is added as admin by an existing admin if needed).
ADMIN=$("$TAGD" user list --store "$STORE" --json | python3 -c \
  'import json,sys; u=[x for x in json.load(sys.stdin) if x.get("role")=="admin" and not x.get("disabled")]; print(u[0]["name"] if u else "")')
if [[ -z "$ADMIN" ]]; then
  "$TAGD" user add loadtest --role admin --store "$STORE" >&2
elif [[ "$ADMIN" != loadtest ]]; then
  "$TAGD" user add loadtest --role admin --as "$ADMIN" --store "$STORE" >&2
fi
TOKEN=$("$TAGD" token create --for loadtest --ttl 1d --label server-load.sh --store "$STORE")

# 4. The server, on loopback, in the background.
log "4. $TAGD serve --store $STORE --port $PORT"
# From $OUT, so reach plugins' file deliveries (exports/) land there, not in the checkout.
ROOT=$PWD
STORE_ABS=$(realpath -m "$STORE")
(cd "$OUT" && exec "$TAGD" serve --store "$STORE_ABS" --rules "$ROOT/rules" --plugins "$ROOT/plugins" \
  --host 127.0.0.1 --port "$PORT") > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
RUN_PID=""
cleanup() {
  [[ -n "$RUN_PID" ]] && kill "$RUN_PID" 2>/dev/null || true
  if kill -0 "$SERVER_PID" 2>/dev/null; then kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT
for _ in $(seq 1 600); do
  curl -fsS "$URL/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server.log" >&2; exit 1; }
  sleep 0.5
done
# The scheduler's first tick runs the realtime tags in full (their population
# statistics); wait for it (it logs one line per tag) before measuring.
for _ in $(seq 1 600); do
  grep -q "succeeded in\|failed in" "$OUT/server.log" && break
  sleep 1
done
log "   server up: $(grep -c 'succeeded in' "$OUT/server.log" || true) startup run(s) logged"

SUMMARY=()
loadtest() {  # NAME ARGS... (later --concurrency wins)
  local name=$1; shift
  local before; before=$(loadavg)
  log "5. $name (load average before: $before)"
  "$TAGD" loadtest --url "$URL" --token "$TOKEN" --members-from "$MEMBERS" --concurrency "$CONCURRENCY" \
    --duration "$SECONDS_EACH" "$@" --json > "$OUT/$name.json" 2> "$OUT/$name.progress"
  local line
  line=$(python3 - "$OUT/$name.json" "$name" "$before" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); name = sys.argv[2]; before = sys.argv[3]
l = r["latencyMillis"]
s = f'{name:<16} '
if r["scenario"] != "read": s += f'{r["eventsPerSecond"]:>9,.0f} ev/s '
else: s += ' ' * 15
s += f'{r["requestsPerSecond"]:>7,.0f} req/s  c={r["concurrency"]}  p50 {l["p50"]:6.2f}  p90 {l["p90"]:6.2f}  p99 {l["p99"]:7.2f}  max {l["max"]:8.2f} ms'
s += f'  (CO-corrected p99 {r["latencyMillisCorrected"]["p99"]:.2f} ms; longest stall {r["longestStallSeconds"]:.2f} s)'
rt = r.get("realtime")
if rt: s += f'  rt-server p99 {rt["serverMillis"]["p99"]:.2f} ms, {rt["responsesWithChanges"]:,} w/ changes'
errs = r["errors"]
s += '  errors: ' + (', '.join(f'{k} {v}' for k, v in errs.items()) if errs else 'none')
s += f'  [load {before}; client CPU {100*r["clientCPUSeconds"]/r["elapsed"]:.0f}%]'
print(s)
PY
)
  SUMMARY+=("$line")
  log "   $line"
}

# 5. The scenarios.
loadtest ingest-batch1   --scenario ingest --batch 1
loadtest ingest-batch500 --scenario ingest --batch 500
loadtest realtime        --scenario realtime
loadtest realtime-c1     --scenario realtime --concurrency 1   # latency without queueing behind 7 others
loadtest read-idle       --scenario read

log "   $TAGD run --store $STORE (full run, separate process), reads meanwhile"
RUN_STARTED=$(date +%s.%N)
"$TAGD" run --store "$STORE" > "$OUT/full-run.txt" 2>&1 &
RUN_PID=$!
sleep 2  # let it get past opening and into features/writes
loadtest read-during-run --scenario read
if kill -0 "$RUN_PID" 2>/dev/null; then RUN_STATE="still running at the end of the read test"; else RUN_STATE="FINISHED BEFORE the read test ended"; fi
wait "$RUN_PID" && RUN_STATUS=ok || RUN_STATUS="exit $?"
RUN_PID=""
RUN_SECONDS=$(python3 -c "import time; print(f'{time.time() - $RUN_STARTED:.1f}')")

# 6. Stop the server; print every figure.
cleanup
trap - EXIT
echo
echo "tagd server load test: $MEMBERS members, ${SECONDS_EACH}s each, concurrency $CONCURRENCY, $(nproc) cores, $(date -u +%FT%TZ)"
for line in "${SUMMARY[@]}"; do echo "$line"; done
echo "full run during read test: ${RUN_SECONDS}s ($RUN_STATUS), $RUN_STATE"
echo "targets: >= 50,000 events/s batched; realtime p99 < 10 ms; read p99 < 20 ms during a full run"
echo "details: $OUT/*.json, $OUT/*.progress, $OUT/server.log, $OUT/full-run.txt"
