#!/usr/bin/env bash
# Installs the Debian packages LatentExplorer needs, if any are missing.
# Usage: scripts/install-dependencies.sh [--with-test-data]
#   --with-test-data  also installs tmux (end-to-end tests), dataset-fashion-mnist (real-data tests) and
#                     python3-venv (scripts/test-python.sh)
set -euo pipefail

packages=(libopenblas-dev zlib1g-dev libncursesw5-dev libpng-dev pkg-config)
if [[ "${1:-}" == "--with-test-data" ]]; then
    packages+=(tmux dataset-fashion-mnist python3-venv)
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing missing system packages: ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi
"${sudo[@]}" apt-get update
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
