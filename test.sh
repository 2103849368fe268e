#!/usr/bin/env bash
# Runs every test. The PostgreSQL tests start a throwaway server of their own, so they need the server binaries
# (initdb, pg_ctl): this installs them where it can (as root, with apt-get), otherwise it says what to run.
set -euo pipefail
cd "$(dirname "$0")"

has_postgres_server() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    return 0
  fi
  if command -v pg_config >/dev/null 2>&1; then
    local bindir
    bindir="$(pg_config --bindir)"
    if [ -x "$bindir/initdb" ] && [ -x "$bindir/pg_ctl" ]; then
      return 0
    fi
  fi
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

if ! has_postgres_server; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: PostgreSQL server binaries not found; installing them." >&2
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
  else
    echo "test.sh: PostgreSQL server binaries (initdb, pg_ctl) not found; the PostgreSQL tests will fail until you run:" >&2
    echo "  sudo apt-get install -y postgresql" >&2
  fi
fi

dotnet test ActionExec.Core.sln -c Release "$@"
