#!/usr/bin/env bash
# Load benchmark: a model of 1,000,000 assets, 2,000,000 links and 500,000 dependency rows.
# Generates the model once (benchmarks/workloads/make_large_model.py, fixed seed), builds the
# release binary, and reports the median of RUNS loads as printed by `validate --timings` (the
# load's seconds and the peak resident memory at its end), with the peak memory (max RSS) of the
# whole command (load, compile, checks) and the spread of the runs.
# usage: benchmarks/load-1m.sh [RUNS]   (model kept in ${KASKADA_BENCH_DIR:-/tmp/kaskada-bench}/large1m;
#        SwiftPM scratch path ${KASKADA_SCRATCH:-.build})
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
dir="${KASKADA_BENCH_DIR:-/tmp/kaskada-bench}/large1m"
scratch="${KASKADA_SCRATCH:-.build}"
if [ ! -f "$dir/links.csv" ]; then
  echo "generating $dir"
  python3 benchmarks/workloads/make_large_model.py "$dir" --assets 1000000 --seed 1
fi
swift build -c release --scratch-path "$scratch" --product kaskada >/dev/null
rssfile=$(mktemp)
trap 'rm -f "$rssfile"' EXIT
loads=(); peaks=(); loadPeaks=()
for i in $(seq "$runs"); do
  if [ -x /usr/bin/time ]; then
    line=$(/usr/bin/time -f '%M' -o "$rssfile" "$scratch/release/kaskada" validate --quiet --timings "$dir" 2>&1 >/dev/null | grep '^timings:')
    peak=$(awk '{printf "%.1f", $1/1024}' "$rssfile")
    echo "$line (peak RSS $peak MiB)"
    peaks+=("$peak")
  else
    line=$("$scratch/release/kaskada" validate --quiet --timings "$dir" 2>&1 >/dev/null | grep '^timings:')
    echo "$line"
  fi
  loads+=("$(echo "$line" | sed -E 's/.*load ([0-9.]+) s.*/\1/')")
  loadPeaks+=("$(echo "$line" | sed -E 's/.*load [0-9.]+ s \(peak ([0-9.]+) MiB\).*/\1/')")
done
med() { sort -n | awk '{a[NR]=$1} END {print (NR%2==1) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
median=$(printf '%s\n' "${loads[@]}" | med)
spread=$(printf '%s\n' "${loads[@]}" | sort -n | awk -v m="$median" '{a[NR]=$1} END {printf "%.0f", (m>0) ? 100*(a[NR]-a[1])/m : 0}')
mem=", load peak RSS median $(printf '%s\n' "${loadPeaks[@]}" | med) MiB"
[ ${#peaks[@]} -gt 0 ] && mem="$mem, whole command $(printf '%s\n' "${peaks[@]}" | med) MiB"
echo "load of 1,000,000 assets + 2,000,000 links + 500,000 dependencies: median ${median} s over ${runs} runs (spread ${spread}%${mem}) (bar: 5 s)"
