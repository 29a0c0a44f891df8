# Sourced by scripts/run and scripts/test: create .venv once and install what is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

find_python() {
  for c in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$c" ] || continue
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  echo "itfabrik behöver Python 3.11 eller senare / needs Python >= 3.11" >&2
  return 1
}

ensure_venv() {
  local extras="$1"  # "" or "test"
  local stamp=".venv/.installed-${extras:-base}"
  if [ ! -x .venv/bin/python ]; then
    local py
    py="$(find_python)"
    if ! "$py" -m venv .venv; then
      rm -rf .venv
      echo "Kunde inte skapa .venv / could not create .venv with $py." >&2
      echo "On Debian/Ubuntu: sudo apt-get install python3-venv  (then run this again)" >&2
      return 1
    fi
  fi
  # Reinstall only when pyproject.toml changed since the last install of this flavour.
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    if [ -n "$extras" ]; then
      .venv/bin/python -m pip install --quiet -e ".[${extras}]"
    else
      .venv/bin/python -m pip install --quiet -e .
    fi
    touch "$stamp"
  fi
}
