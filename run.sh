#!/usr/bin/env bash
# Opens Стажировка; the first run sets everything up in .venv (Python ≥ 3.11 needed).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/stazhirovka ] || [ pyproject.toml -nt .venv/.installed ]; then
  echo "Установка зависимостей в .venv…" >&2
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e .
  touch .venv/.installed
fi
exec .venv/bin/stazhirovka "$@"
