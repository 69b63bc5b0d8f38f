#!/usr/bin/env bash
# Memory per worker: the RSS of one `silta serve` worker at rest, then after every chunk of SSO
# round trips (the shared driver, ../shared/bench/sso_roundtrip.py) until TOTAL are done.
#
#   bash benchmarks/memory.sh              100,000 round trips in chunks of 60 s (about 12 min)
#   TOTAL=20000 CHUNK=30 bash benchmarks/memory.sh
#
# The node runs on core 0 with one bjoern worker (SERVE_ARGS), the driver on core 1. Prints one
# line per sample: round trips so far, worker RSS and its peak (VmHWM), both in MiB. Knobs:
# TOTAL, CHUNK (seconds), CONCURRENCY (8), SESSIONS (3000), SERVE_ARGS, DATABASE_URL.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BENCH_DIR=${BENCH_DIR:-$root/../shared/bench}
BENCH_HOME=${BENCH_HOME:-$HOME/.cache/silta-bench}
export BENCH_HOME
TOTAL=${TOTAL:-100000}; CHUNK=${CHUNK:-60}; CONCURRENCY=${CONCURRENCY:-8}
[ -x "$BENCH_HOME/venv/bin/python" ] || bash "$BENCH_DIR/setup.sh"
state=$(mktemp -d "${TMPDIR:-/tmp}/silta-memory-XXXXXX")
node=""
cleanup() {
  [ -n "$node" ] && kill -TERM -- "-$node" 2>/dev/null && wait "$node" 2>/dev/null
  rm -rf "$state"
}
trap cleanup EXIT
"$root/.venv/bin/python" "$here/prepare.py" "$state" --sessions "${SESSIONS:-3000}" \
  ${DATABASE_URL:+--database-url "$DATABASE_URL"} >/dev/null
setsid taskset -c 0 bash "$here/serve.sh" "$state" >"$state/node.log" 2>&1 &
node=$!
for _ in $(seq 1 100); do
  curl -fs -o /dev/null http://127.0.0.1:4003/healthz && break
  sleep 0.2
done
worker() {  # the newest gunicorn worker: a child of the node's master (serve.sh execs it)
  pgrep -P "$node" | tail -n 1
}
sample() {  # round-trips RSS-MiB peak-MiB
  local pid
  pid=$(worker)
  awk -v done="$1" '/^VmRSS/ {rss=$2} /^VmHWM/ {hwm=$2}
    END {printf "%9d round trips   worker RSS %7.1f MiB   peak %7.1f MiB\n", done, rss/1024, hwm/1024}' \
    "/proc/$pid/status"
}
echo "worker pid $(worker): silta serve ${SERVE_ARGS:---workers 1 --worker-class bjoern}"
sample 0
secret=$("$root/.venv/bin/python" -c \
  "import sys; sys.path.insert(0, '$here'); import prepare; print(prepare.CLIENT_SECRET)")
done_so_far=0
while [ "$done_so_far" -lt "$TOTAL" ]; do
  taskset -c 1 "$BENCH_HOME/venv/bin/python" "$BENCH_DIR/sso_roundtrip.py" --peer command \
    --login-cmd "bash '$here/next_session.sh' '$state'" --issuer http://127.0.0.1:4003 \
    --client-id bench-client --client-secret "$secret" --concurrency "$CONCURRENCY" \
    --duration "$CHUNK" --warmup 0 --json-out "$state/chunk.json" >/dev/null
  read -r trips errors < <("$root/.venv/bin/python" -c \
    "import json,sys; d=json.load(open(sys.argv[1])); print(d['round_trips'], d['errors'])" \
    "$state/chunk.json")
  [ "$errors" = 0 ] || { echo "driver reported $errors errors" >&2; exit 1; }
  done_so_far=$((done_so_far + trips))
  sample "$done_so_far"
done
