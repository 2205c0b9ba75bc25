#!/usr/bin/env bash
# Mitigation options: what reusing the baseline's samples saves (docs/decisions.md #42).
# Runs the shipped flood scenarios with their ten options and portfolio, with the reuse and with
# every option sample simulated (--no-sample-reuse), alternating, and prints the time of the
# mitigation step (from run.log), the option samples simulated and reused, and the ratio; checks
# that both give the same mitigations.csv and summary.json.
# Usage: benchmarks/mitigations.sh [reps] (default 3). Needs a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
K=${KASKADA:-.build/release/kaskada}
reps=${1:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for case in "riverside-flood-100y 1000" "riverside-flood-100y-timed 100"; do
  set -- $case
  s=scenarios/$1.yaml n=$2
  for r in $(seq "$reps"); do
    for mode in reuse full; do
      flag=(); [ "$mode" = full ] && flag=(--no-sample-reuse)
      $K run "$s" --samples "$n" --no-rankings --force --quiet --out "$work/$mode" "${flag[@]}"
      line=$(grep '^mitigations' "$work/$mode/run.log")
      echo "$1 samples=$n rep=$r $mode: $line"
    done
    cmp "$work/reuse/mitigations.csv" "$work/full/mitigations.csv" && cmp "$work/reuse/summary.json" "$work/full/summary.json" \
      || { echo "FAILED: reuse changed the result"; exit 1; }
  done
done
