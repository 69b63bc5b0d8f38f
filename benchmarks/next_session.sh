#!/usr/bin/env bash
# The driver's login command: print the next unused session cookie of DIR/sessions (one line
# per call, under a lock, so no two workers share a citizen). Costs a few milliseconds.
set -euo pipefail
dir=$1
exec 9>"$dir/sessions.lock"
flock 9
line=$(head -n 1 "$dir/sessions")
[ -n "$line" ] || { echo "no sessions left in $dir/sessions (prepare more)" >&2; exit 1; }
sed -i 1d "$dir/sessions"
echo "$line"
