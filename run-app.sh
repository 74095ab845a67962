#!/usr/bin/env bash
# Start the desktop app on the default store (arguments are passed on: ./run-app.sh --db my.db).
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
"$root/scripts/ensure-venv.sh"
exec "$root/.venv/bin/planner" "$@"
