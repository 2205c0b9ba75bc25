#!/bin/bash
# Submit a sharded Kaskada run to Slurm: an N-task job array (one shard each),
# then a merge job that starts only if every shard succeeded.
#
#   deploy/slurm/submit.sh SCENARIO N WORK [extra kaskada run flags...]
#
# WORK must be on a file system shared by all compute nodes (it gets shards/,
# status/, logs/ and finally result/). Prints "<array job id> <merge job id>".
# Environment:
#   KASKADA        kaskada binary as seen from the compute nodes (default: .build/release/kaskada
#                  if it exists here, else `kaskada` on PATH)
#   CPUS_PER_TASK  CPUs (= kaskada --threads) per shard (default 1)
#   SBATCH_EXTRA   extra sbatch options for both jobs, split on blanks (e.g. "--partition=long --time=2:00:00")
set -euo pipefail

if [ "$#" -lt 3 ]; then
  echo "usage: $0 SCENARIO N WORK [extra kaskada run flags...]" >&2
  exit 2
fi
scenario="$1"; n="$2"; work="$3"; shift 3
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

case "$n" in ''|*[!0-9]*) echo "submit.sh: N must be a positive integer, got '$n'" >&2; exit 2 ;; esac
[ "$n" -ge 1 ] || { echo "submit.sh: N must be >= 1" >&2; exit 2; }
[ -f "$scenario" ] || { echo "submit.sh: no scenario file $scenario" >&2; exit 2; }

# Jobs run elsewhere, so hand them absolute paths.
scenario="$(realpath "$scenario")"
mkdir -p "$work"
work="$(realpath "$work")"
if [ -z "${KASKADA:-}" ]; then
  if [ -x .build/release/kaskada ]; then KASKADA=.build/release/kaskada; else KASKADA=kaskada; fi
fi
case "$KASKADA" in */*) KASKADA="$(realpath "$KASKADA")" ;; esac

# Leftover shards from another run would make the merge fail (or worse, mix inputs).
if [ -d "$work/shards" ] && [ -n "$(ls -A "$work/shards")" ]; then
  echo "submit.sh: $work/shards is not empty; use a fresh WORK folder or remove it" >&2
  exit 2
fi
mkdir -p "$work/shards" "$work/status" "$work/logs"
rm -f "$work/status/"*.rc

# shellcheck disable=SC2206  # deliberately split on blanks
sbatch_extra=(${SBATCH_EXTRA:-})
export KASKADA SCENARIO="$scenario" N="$n" WORK="$work"
export KASKADA_FLAGS="${KASKADA_FLAGS:-}"

# 1-based array: task i runs shard i/N. Extra kaskada flags go as script arguments.
array_id="$(sbatch --parsable --export=ALL \
  --array="1-$n" --cpus-per-task="${CPUS_PER_TASK:-1}" \
  --chdir="$work" --output="$work/logs/shard-%a.out" \
  ${sbatch_extra[@]+"${sbatch_extra[@]}"} \
  "$here/kaskada-shard.sbatch" "$@")"
array_id="${array_id%%;*}"   # --parsable prints "jobid[;cluster]"

# The merge waits for all array tasks to succeed; if one fails, Slurm cancels it.
merge_id="$(sbatch --parsable --export=ALL \
  --dependency="afterok:$array_id" --kill-on-invalid-dep=yes \
  --chdir="$work" --output="$work/logs/merge.out" \
  ${sbatch_extra[@]+"${sbatch_extra[@]}"} \
  "$here/kaskada-merge.sbatch")"
merge_id="${merge_id%%;*}"

echo "$array_id" > "$work/status/array.jobid"
echo "$merge_id" > "$work/status/merge.jobid"
echo "submitted shards: job array $array_id (1-$n), merge: job $merge_id -> $work/result" >&2
echo "$array_id $merge_id"
