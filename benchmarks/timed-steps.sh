#!/usr/bin/env bash
# Timed mode's cost follows the changes in a sample, not the horizon or the step (docs/specification.md
# section 5; issue: "show this with a benchmark"). Runs one timed scenario with horizon 24 h and
# 720 h, each with step 1 h and 0.1 h, RUNS times each (alternating), one thread, and prints the
# median simulation time (from run.log: sampling and cascades, before the result files), the
# state computations per sample, and the whole run's wall time with --no-rankings (it also writes timeline.csv,
# one row per step and sector).
#
#   benchmarks/timed-steps.sh [SCENARIO] [SAMPLES] [RUNS]     default: riverside-windstorm-timed, 300, 3
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-scenarios/riverside-windstorm-timed.yaml}
samples=${2:-300}
runs=${3:-3}
scratch=${KASKADA_SCRATCH:-.build}
swift build -c release --product kaskada --scratch-path "$scratch" >/dev/null
bin="$scratch/release/kaskada"
dir=$(dirname "$scenario")
work=$(mktemp -d)
variants=()
cleanup() { rm -rf "$work"; for v in "${variants[@]}"; do rm -f "$v"; done; }
trap cleanup EXIT
# variants next to the scenario (its relative paths stay valid), hidden and removed on exit
for h in 24 720; do
  for s in 1 0.1; do
    v="$dir/.timed-steps-h${h}-s${s}.yaml"
    sed -E -e "s/^name: .*/name: timed-steps-h${h}-s${s}/" \
           -e "s/horizon_hours: *[0-9.]+/horizon_hours: ${h}/" -e "s/step_hours: *[0-9.]+/step_hours: ${s}/" \
           "$scenario" >"$v"
    grep -q "horizon_hours: ${h}" "$v" || { echo "timed-steps.sh: $scenario has no horizon_hours to vary" >&2; exit 2; }
    variants+=("$v")
  done
done
printf '%-10s %-8s %-8s %-22s %-16s %-12s %s\n' horizon step runs "simulation s (median)" "states/sample" "wall s" "timeline rows"
declare -A sim wall states rows
for r in $(seq "$runs"); do
  for v in "${variants[@]}"; do
    out="$work/out-$(basename "$v" .yaml)"
    t0=$(date +%s.%N)
    "$bin" run "$v" --samples "$samples" --threads 1 --out "$out" --quiet --no-rankings
    t1=$(date +%s.%N)
    key=$(basename "$v" .yaml); key=${key#.}
    sim[$key]+="$(sed -nE 's/^simulation ([0-9.]+) s.*/\1/p' "$out/run.log") "
    states[$key]=$(sed -nE 's/.*, ([0-9.]+) state computations per sample.*/\1/p' "$out/run.log")
    wall[$key]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}') "
    rows[$key]=$(($(wc -l <"$out/timeline.csv") - 1))
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
for h in 24 720; do
  for s in 1 0.1; do
    key="timed-steps-h${h}-s${s}"
    printf '%-10s %-8s %-8s %-22s %-16s %-12s %s\n' "$h" "$s" "$runs" "$(median <<<"${sim[$key]}")" "${states[$key]}" \
      "$(median <<<"${wall[$key]}")" "${rows[$key]}"
  done
done
echo "scenario $scenario, $samples samples, 1 thread, $(date -u +%Y-%m-%dT%H:%MZ)"
