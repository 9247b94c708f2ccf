#!/usr/bin/env bash
# Install Debian packages when they are missing (root, or sudo when available).
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "Installing Debian packages: ${missing[*]}"
# Another apt or dpkg run may hold the lock (unattended upgrades on a fresh machine, a parallel
# install): wait for it, up to ten minutes, instead of failing.
LOCK_WAIT=(-o DPkg::Lock::Timeout=600)
# Older apt versions ignore the timeout on some locks: retry then, and only then (60 × 10 s).
retry() {
  local err
  for _ in $(seq 60); do
    if err=$("$@" 2>&1 >/dev/null); then return 0; fi
    case "$err" in
      *"Could not get lock"*|*"Unable to acquire"*|*"is held by process"*) echo "apt is busy; waiting" ;;
      *) echo "$err" >&2; return 1 ;;
    esac
    sleep 10
  done
  return 1
}
retry $SUDO apt-get "${LOCK_WAIT[@]}" update -qq
retry $SUDO env DEBIAN_FRONTEND=noninteractive apt-get "${LOCK_WAIT[@]}" install -y -qq \
  --no-install-recommends "${missing[@]}"
