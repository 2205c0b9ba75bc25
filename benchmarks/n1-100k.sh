#!/usr/bin/env bash
# N-1 impact of every asset of a 100,000-asset model (issue: "well under a minute on 2 cores").
# Writes the model with benchmarks/workloads/make_large_model.py (seed 1: four sectors of 25,000
# assets, sources trees with a mesh of extra links, 50,000 dependency rows; transport is a
# giant-component sector), runs one small scenario with rankings, and prints the rankings line of
# run.log: N-1 seconds and how many assets needed a cascade of their own.
#
#   benchmarks/n1-100k.sh [ASSETS]     default 100000
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
scratch=${KASKADA_SCRATCH:-.build}
swift build -c release --product kaskada --scratch-path "$scratch" >/dev/null
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 benchmarks/workloads/make_large_model.py "$dir/model" --assets "$n" --seed 1
cat >"$dir/n1.yaml" <<YAML
name: n1-bench
network: model/network.yaml
events:
  - type: outage
    select: {ids: [power/a-0000011]}
simulation: {samples: 10, seed: 1}
YAML
start=$(date +%s.%N)
"$scratch/release/kaskada" run "$dir/n1.yaml" --out "$dir/out" --quiet
end=$(date +%s.%N)
grep '^rankings' "$dir/out/run.log"
awk -v a="$start" -v b="$end" -v n="$n" 'BEGIN {printf "whole run %.1f s for %d assets, %d threads\n", b - a, n, 2}'
