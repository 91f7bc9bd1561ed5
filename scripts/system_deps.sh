#!/usr/bin/env bash
# Install the Debian packages Charter needs when they are missing (we run as root on Debian).
# Usage: scripts/system_deps.sh run|test
set -euo pipefail
want=(fonts-dejavu-core fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 gettext)
if [ "${1:-run}" = "test" ]; then
  want+=(chromium xmlsec1 postgresql redis-server)
  command -v node >/dev/null 2>&1 || want+=(nodejs)
  command -v npm >/dev/null 2>&1 || want+=(npm)
fi
missing=()
for p in "${want[@]}"; do
  case "$p" in
    postgresql) command -v pg_isready >/dev/null 2>&1 && continue ;;
    redis-server) command -v redis-server >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
