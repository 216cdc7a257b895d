# Sourced by the other scripts: make .venv and install the pinned requirements when they change.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
REQS="${1:-requirements-dev.txt}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
STAMP=".venv/.installed-$(cat requirements.txt "$REQS" | sha256sum | cut -c1-16)"
if [ ! -f "$STAMP" ]; then
  .venv/bin/python -m pip install -q -r "$REQS"
  touch "$STAMP"
fi
# shellcheck disable=SC1091
. .venv/bin/activate
