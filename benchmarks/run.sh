#!/usr/bin/env bash
# The SSO round-trip benchmark (`make bench`): Silta under `silta serve` on one core, side by side
# with node-oidc-provider and a minimal Authlib provider, driven by ../shared/bench (read its
# README). Nothing is written outside this repository's ignored folders and the bench's own
# BENCH_HOME: this script only sets the SUBJECT_* variables the shared driver documents.
#
#   bash benchmarks/run.sh                 side by side (CONFIGS="node authlib-w1 subject")
#   CONFIGS=subject bash benchmarks/run.sh Silta alone (the project's own benchmark)
#
# Knobs: SERVE_ARGS (default "--workers 1 --worker-class sync"), DATABASE_URL (default: a fresh
# SQLite file, so the whole provider runs on the measured core), SESSIONS (default 4000), and
# every knob of ../shared/bench/run_side_by_side.sh (ROUNDS, DURATION, CONCURRENCY, ALG, ...).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BENCH_DIR=${BENCH_DIR:-$root/../shared/bench}
BENCH_HOME=${BENCH_HOME:-$HOME/.cache/silta-bench}
export BENCH_HOME
[ -f "$BENCH_DIR/run_side_by_side.sh" ] || { echo "no side-by-side bench at $BENCH_DIR" >&2; exit 2; }
[ -x "$BENCH_HOME/venv/bin/python" ] || bash "$BENCH_DIR/setup.sh"
state=$(mktemp -d "${TMPDIR:-/tmp}/silta-bench-XXXXXX")
trap 'rm -rf "$state"' EXIT
"$root/.venv/bin/python" "$here/prepare.py" "$state" --sessions "${SESSIONS:-4000}" \
  --alg "${ALG:-ES256}" ${DATABASE_URL:+--database-url "$DATABASE_URL"}
export SUBJECT_NAME=silta
export SUBJECT_ISSUER=http://127.0.0.1:4003
export SUBJECT_START="SERVE_ARGS='${SERVE_ARGS:---workers 1 --worker-class sync}' bash '$here/serve.sh' '$state'"
export SUBJECT_LOGIN="bash '$here/next_session.sh' '$state'"
export SUBJECT_CLIENT_ID=bench-client
SUBJECT_CLIENT_SECRET=$("$root/.venv/bin/python" -c \
  "import sys; sys.path.insert(0, '$here'); import prepare; print(prepare.CLIENT_SECRET)")
export SUBJECT_CLIENT_SECRET
export SUBJECT_REDIRECT_URI=http://127.0.0.1:9999/cb
bash "$BENCH_DIR/run_side_by_side.sh"
