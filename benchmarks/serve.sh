#!/usr/bin/env bash
# Start the prepared benchmark broker in the foreground: `silta serve` on 127.0.0.1:4003.
#   bash benchmarks/serve.sh DIR        (DIR written by prepare.py)
# SERVE_ARGS passes options to `silta serve` (default: one bjoern worker).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
# shellcheck disable=SC1091
source "$dir/env"
exec "$here/../.venv/bin/silta" serve --bind 127.0.0.1:4003 ${SERVE_ARGS:---workers 1 --worker-class bjoern}
