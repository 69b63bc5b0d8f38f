#!/usr/bin/env bash
# The SSO round trip side by side (../shared/bench), with Silta under each serving stack in turn.
#   bash benchmarks/hotpath/side_by_side.sh                      node + every stack
#   STACKS="granian" CONFIGS="node subject" bash benchmarks/hotpath/side_by_side.sh
# Each stack is its own run of run_side_by_side.sh (so each has node beside it, in the same
# minutes); results land under $BENCH_HOME/results/, one folder per stack, plus a summary here.
# Knobs: STACKS, DATABASE_URL (default: a fresh SQLite file per stack), SESSIONS, THREADS, and
# every knob of run_side_by_side.sh (ROUNDS, DURATION, WARMUP, CONCURRENCY, ALG, CONFIGS).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BENCH_DIR=${BENCH_DIR:-$root/../shared/bench}
BENCH_HOME=${BENCH_HOME:-$HOME/.cache/silta-bench}
export BENCH_HOME
STACKS=${STACKS:-"serve-bjoern gunicorn-sync gunicorn-gthread granian bjoern"}
export CONFIGS=${CONFIGS:-"node subject"}
[ -x "$BENCH_HOME/venv/bin/python" ] || bash "$BENCH_DIR/setup.sh"
for stack in $STACKS; do
  case "$stack" in
    granian) [ -d "$BENCH_HOME/stacks/granian" ] || "$root/.venv/bin/pip" install --quiet \
               --target "$BENCH_HOME/stacks" 'granian==2.8.7' ;;
  esac
done
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$BENCH_HOME/results"
for stack in $STACKS; do
  state=$(mktemp -d "${TMPDIR:-/tmp}/silta-hotpath-XXXXXX")
  "$root/.venv/bin/python" "$root/benchmarks/prepare.py" "$state" --sessions "${SESSIONS:-3000}" \
    --alg "${ALG:-ES256}" ${DATABASE_URL:+--database-url "$DATABASE_URL"} >/dev/null
  export SUBJECT_NAME="silta-$stack"
  export SUBJECT_ISSUER=http://127.0.0.1:4003
  export SUBJECT_START="THREADS=${THREADS:-4} bash '$here/serve_stack.sh' '$stack' '$state'"
  export SUBJECT_LOGIN="bash '$root/benchmarks/next_session.sh' '$state'"
  export SUBJECT_CLIENT_ID=bench-client
  SUBJECT_CLIENT_SECRET=$("$root/.venv/bin/python" -c \
    "import sys; sys.path.insert(0, '$root/benchmarks'); import prepare; print(prepare.CLIENT_SECRET)")
  export SUBJECT_CLIENT_SECRET
  export SUBJECT_REDIRECT_URI=http://127.0.0.1:9999/cb
  OUT="$BENCH_HOME/results/$stamp-hotpath-$stack" bash "$BENCH_DIR/run_side_by_side.sh" \
    | tee "$BENCH_HOME/results/$stamp-hotpath-$stack.txt" | tail -n 8
  rm -rf "$state"
done
