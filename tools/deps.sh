#!/bin/sh
# Install the Debian packages dcsim needs, only those that are missing.
# 'apt-get update' runs only when an install fails because a package is not known yet
# (a fresh machine has empty package lists). Uses sudo when not root.
set -eu
missing=""
for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -q --no-install-recommends $missing; then
    echo "deps: a package was not found; running apt-get update first"
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends $missing
fi
