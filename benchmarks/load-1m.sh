#!/usr/bin/env bash
# Load benchmark: a model of 1,000,000 assets, 2,000,000 links and 500,000 dependency rows.
# Generates the model once (benchmarks/workloads/make_large_model.py, fixed seed), builds the
# release binary, and reports the median of RUNS loads as printed by `validate --timings`.
# usage: benchmarks/load-1m.sh [RUNS]   (model kept in ${KASKADA_BENCH_DIR:-/tmp/kaskada-bench}/large1m)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
dir="${KASKADA_BENCH_DIR:-/tmp/kaskada-bench}/large1m"
if [ ! -f "$dir/links.csv" ]; then
  echo "generating $dir"
  python3 benchmarks/workloads/make_large_model.py "$dir" --assets 1000000 --seed 1
fi
swift build -c release >/dev/null
loads=()
for i in $(seq "$runs"); do
  line=$(.build/release/kaskada validate --quiet --timings "$dir" 2>&1 >/dev/null | grep '^timings:')
  echo "$line"
  loads+=("$(echo "$line" | sed -E 's/.*load ([0-9.]+) s.*/\1/')")
done
median=$(printf '%s\n' "${loads[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2==1) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
echo "load of 1,000,000 assets + 2,000,000 links + 500,000 dependencies: median ${median} s over ${runs} runs (bar: 5 s)"
