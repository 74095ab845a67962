#!/usr/bin/env bash
# Run the whole test suite, slow stress tests included (pass -m "not slow" for a quick run).
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
"$root/scripts/ensure-venv.sh"
cd "$root"
export QT_QPA_PLATFORM=offscreen
exec "$root/.venv/bin/python" -m pytest -q "$@"
