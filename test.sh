#!/usr/bin/env bash
# Runs every test on SQLite and on a real PostgreSQL; sets up what is missing first.
set -euo pipefail
cd "$(dirname "$0")"

# PostgreSQL server binaries (the tests start their own server from them).
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && ! command -v pg_ctl >/dev/null 2>&1; then
  echo "Установка PostgreSQL для тестов…" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

if [ ! -x .venv/bin/pytest ] || [ pyproject.toml -nt .venv/.installed-test ]; then
  echo "Установка зависимостей в .venv…" >&2
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[test]'
  touch .venv/.installed-test
fi

export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"
