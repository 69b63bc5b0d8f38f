#!/usr/bin/env bash
# The SSO round-trip benchmark (`make bench`): Silta side by side with node-oidc-provider and a
# minimal Authlib provider on one core, driven by ../shared/bench (read its README), once per
# serving stack, each run with node-oidc-provider beside it in the same minutes:
#   serve-bjoern   `silta serve --workers 1 --worker-class bjoern`: the production server with
#                  its fastest worker class for a one-core node (keep-alive, HTTP in C)
#   gunicorn-sync  `silta serve --workers 1 --worker-class sync`, for comparison
# Nothing is written outside this repository's ignored folders and the bench's BENCH_HOME.
#
#   make bench                                   both stacks (about 12 minutes)
#   STACKS=serve-bjoern CONFIGS="node subject" make bench      (about 5 minutes)
#
# Knobs: STACKS, CONFIGS (default "node authlib-w1 subject"), DATABASE_URL (default: a fresh
# SQLite file per stack, so the whole provider runs on the measured core), SESSIONS, and every
# knob of ../shared/bench/run_side_by_side.sh (ROUNDS, DURATION, CONCURRENCY, ALG, ...).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export STACKS=${STACKS:-"serve-bjoern gunicorn-sync"}
export CONFIGS=${CONFIGS:-"node authlib-w1 subject"}
exec bash "$here/hotpath/side_by_side.sh"
