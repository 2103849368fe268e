#!/usr/bin/env bash
# Runs every test. The PostgreSQL tests start a throwaway server of their own, so they need the server binaries
# (initdb, pg_ctl); the dashboard's browser tests drive Debian's chromium through its chromedriver. This installs both
# where it can (as root, with apt-get), otherwise it says what to run.
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

apt_updated=no
apt_install() {
  if [ "$apt_updated" = no ]; then
    apt-get update
    apt_updated=yes
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

can_apt() {
  [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1
}

if ! has_postgres_server; then
  if can_apt; then
    echo "test.sh: PostgreSQL server binaries not found; installing them." >&2
    apt_install postgresql
  else
    echo "test.sh: PostgreSQL server binaries (initdb, pg_ctl) not found; the PostgreSQL tests will fail until you run:" >&2
    echo "  sudo apt-get install -y postgresql" >&2
  fi
fi

# The dashboard's browser tests use exactly these two binaries; nothing is downloaded at test time.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if can_apt; then
    echo "test.sh: chromium or chromedriver not found; installing them for the dashboard's browser tests." >&2
    apt_install chromium chromium-driver
  else
    echo "test.sh: /usr/bin/chromium or /usr/bin/chromedriver not found; the dashboard's browser tests will fail until you run:" >&2
    echo "  sudo apt-get install -y chromium chromium-driver" >&2
  fi
fi

dotnet test ActionExec.Core.sln -c Release "$@"
