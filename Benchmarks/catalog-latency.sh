#!/usr/bin/env bash
# Page latency of the catalog (p50, p99 per page) on a 1M-member store with
# the shipped rules, against the real `tagd serve` on loopback.
#
#   Benchmarks/catalog-latency.sh [STORE]    # default: a copy of tagd-bench.sqlite
#
# Environment (all optional): PORT=18181, REQUESTS=200 per page,
# CONCURRENCY=1 (and a second pass at 4), SKIP_BUILD=1, OUT=/tmp/tagd-catalog-latency.
# The store is opened by the server (migrated, sessions written): pass a copy
# if the original must stay untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
STORE=${1:-tagd-bench.sqlite}
PORT=${PORT:-18181}
REQUESTS=${REQUESTS:-200}
OUT=${OUT:-${TMPDIR:-/tmp}/tagd-catalog-latency}
mkdir -p "$OUT"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
[[ -f "$STORE" ]] || { echo "no store at $STORE (make one with: tagd bench)" >&2; exit 1; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then swift build -c release --product tagd >&2; fi
TAGD="$(swift build -c release --show-bin-path)/tagd"

# A reader and a token (the first admin adds the user once). The CLI acts as
# the admin mapped to your OS account (a store made by `tagd bench` has admin
# `bench` with none: map it once, e.g. with `tagd user add` by an admin, or
# set TOKEN to an approver's token).
if [[ -n "${TOKEN:-}" ]]; then :
elif ! "$TAGD" user list --store "$STORE" --json | grep -q '"catalog-bench"'; then
  ADMIN=$("$TAGD" user list --store "$STORE" --json | python3 -c \
    'import json,sys; u=[x for x in json.load(sys.stdin) if x.get("role")=="admin" and not x.get("disabled")]; print(u[0]["name"] if u else "")')
  "$TAGD" user add catalog-bench --role approver ${ADMIN:+--as "$ADMIN"} --store "$STORE" >&2
fi
[[ -n "${TOKEN:-}" ]] || TOKEN=$("$TAGD" token create --for catalog-bench --ttl 1d --label catalog-latency.sh --store "$STORE" | grep -o 'tagd_[0-9a-f]*')
MEMBERS=$(sqlite3 -readonly "$STORE" "SELECT count(*) FROM members" 2>/dev/null || echo 1000000)

# Bring scheduled tags up to date first, so the scheduler does not start full
# runs in the middle of the figures (as Benchmarks/server-load.sh does).
log "$TAGD run --due --store $STORE"
"$TAGD" run --due --store "$STORE" > "$OUT/run-due.txt" 2>&1 || { cat "$OUT/run-due.txt" >&2; exit 1; }

ROOT=$PWD
STORE_ABS=$(realpath "$STORE")
(cd "$OUT" && exec "$TAGD" serve --store "$STORE_ABS" --rules "$ROOT/rules" --plugins "$ROOT/plugins" --port "$PORT") > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill -TERM $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
# Let the start-up work settle: realtime tags' first full run, the catalog's warm-up (overlap matrix, trends).
for _ in $(seq 1 300); do grep -q "succeeded in\|failed in" "$OUT/server.log" && break; sleep 1; done
sleep 20
log "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); members: $MEMBERS"
python3 Benchmarks/catalog_latency.py "http://127.0.0.1:$PORT" "$TOKEN" --requests "$REQUESTS" --concurrency "${CONCURRENCY:-1}" --members-from "$MEMBERS"
log "load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 Benchmarks/catalog_latency.py "http://127.0.0.1:$PORT" "$TOKEN" --requests "$REQUESTS" --concurrency 4 --members-from "$MEMBERS"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
