#!/usr/bin/env bash
# Builds Kaskada's two packages in release mode — the simulator (this folder) and the live situation
# service (Serve/) — and puts the service binary beside the simulator's, so that `kaskada serve`
# finds it: .build/release/kaskada and .build/release/kaskada-serve.
#
#   scripts/build.sh            both packages (the service takes about 5 more minutes the first time)
#   scripts/build.sh --no-serve the simulator only
set -euo pipefail
cd "$(dirname "$0")/.."
serve=1
for a in "$@"; do
  case "$a" in
    --no-serve) serve=0 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument '$a' (usage: scripts/build.sh [--no-serve])" >&2; exit 2 ;;
  esac
done
swift build -c release --product kaskada 2>&1 | grep -E 'error|warning: unre|Compiling kaskada|Build complete' || true
test -x .build/release/kaskada || { echo "build.sh: the simulator did not build" >&2; exit 1; }
if [ "$serve" = 1 ]; then
  swift build -c release --package-path Serve --product kaskada-serve 2>&1 | grep -E 'error|Build complete' || true
  test -x Serve/.build/release/kaskada-serve || { echo "build.sh: the service did not build" >&2; exit 1; }
  # a copy, not a link: .build/release is what users copy elsewhere
  cp -f Serve/.build/release/kaskada-serve .build/release/kaskada-serve
  echo "built .build/release/kaskada and .build/release/kaskada-serve"
else
  echo "built .build/release/kaskada"
fi
