#!/usr/bin/env bash
# Start the prepared benchmark broker in the foreground on 127.0.0.1:4003 under one serving stack.
#   bash benchmarks/hotpath/serve_stack.sh STACK DIR      (DIR written by benchmarks/prepare.py)
# STACK: serve-bjoern (`silta serve`, 1 bjoern worker: keep-alive, HTTP in C; the production
#        stack for one core), gunicorn-sync (1 sync worker, a new connection per request), gunicorn-sync-w2,
#        gunicorn-gthread (1 worker, THREADS threads, keep-alive), granian (Rust HTTP/1.1 with
#        keep-alive, 1 worker, THREADS blocking threads; granian-1t: one), bjoern (libev, one thread, keep-alive).
# granian comes from PyPI into $BENCH_HOME/stacks (see side_by_side.sh), never into the
# project's venv; bjoern is the project's own dependency (the bjoern worker class).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
stack=$1 dir=$2
BENCH_HOME=${BENCH_HOME:-$HOME/.cache/silta-bench}
THREADS=${THREADS:-4}
# shellcheck disable=SC1091
source "$dir/env"
py=$root/.venv/bin/python
cd "$root"
case "$stack" in
  serve-bjoern) exec "$root/.venv/bin/silta" serve --bind 127.0.0.1:4003 --workers 1 --worker-class bjoern ;;
  gunicorn-sync) exec "$root/.venv/bin/silta" serve --bind 127.0.0.1:4003 --workers 1 --worker-class sync ;;
  gunicorn-sync-w2) exec "$root/.venv/bin/silta" serve --bind 127.0.0.1:4003 --workers 2 --worker-class sync ;;
  gunicorn-gthread) exec "$root/.venv/bin/silta" serve --bind 127.0.0.1:4003 --workers 1 --worker-class gthread --threads "$THREADS" ;;
  granian|granian-1t)
    [ "$stack" = granian-1t ] && THREADS=1
    PYTHONPATH="$BENCH_HOME/stacks" exec "$py" -m granian --interface wsgi --host 127.0.0.1 --port 4003 \
      --workers 1 --blocking-threads "$THREADS" --no-ws --log-level warning benchmarks.hotpath.wsgi:app ;;
  bjoern)
    exec "$py" -c \
      "import bjoern; from benchmarks.hotpath.wsgi import app; bjoern.run(app, '127.0.0.1', 4003)" ;;
  *) echo "unknown stack $stack" >&2; exit 2 ;;
esac
