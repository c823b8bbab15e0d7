#!/usr/bin/env bash
# Makes sure git, PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) are installed and running.
# Installs missing Debian packages when run as root; starts services that are not answering.
# `--with-chromium` also installs Debian's Chromium (the console's browser tests drive /usr/bin/chromium).
set -euo pipefail

need_apt=()
if [ "${1:-}" = "--with-chromium" ] && [ ! -x /usr/bin/chromium ]; then need_apt+=(chromium); fi
command -v git >/dev/null || need_apt+=(git)
command -v pg_ctlcluster >/dev/null || need_apt+=(postgresql postgresql-client)
command -v redis-server >/dev/null || need_apt+=(redis-server)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing: ${need_apt[*]} (install them, or run as root to let this script do it)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  version=$(ls /etc/postgresql | sort -V | tail -1)
  # Trust auth on loopback for local development and tests (the machine's own cluster).
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  if [ -w "$hba" ] && ! grep -q "switchyard-dev" "$hba"; then
    sed -i '1i # switchyard-dev: trust loopback\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/switchyard.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done
fi

pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis is not answering on 127.0.0.1:6379" >&2; exit 1; }
