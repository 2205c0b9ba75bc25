#!/usr/bin/env bash
# Installs what Kaskada needs on Debian/Ubuntu: GSL (libgsl-dev), PROJ (libproj-dev, for kaskada import), SQLite
# (libsqlite3-dev, for results.gpkg) and pkg-config.
# Swift 6.1+ must be on PATH (https://www.swift.org/install/linux/); this script checks for it.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
if ! dpkg -s libgsl-dev >/dev/null 2>&1 || ! dpkg -s libproj-dev >/dev/null 2>&1 || ! dpkg -s libsqlite3-dev >/dev/null 2>&1 || ! command -v pkg-config >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libgsl-dev libproj-dev libsqlite3-dev pkg-config >/dev/null
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "error: swift is not on PATH: install Swift 6.1 or later from swift.org, then run this again" >&2
  exit 2
fi
echo "ready: $(swift --version 2>&1 | head -1); GSL $(pkg-config --modversion gsl); PROJ $(pkg-config --modversion proj)"
