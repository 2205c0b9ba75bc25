#!/usr/bin/env bash
# Builds Kaskada's libFuzzer targets (AddressSanitizer + LeakSanitizer) and runs them.
#
#   Fuzz/run.sh [--runs N | --seconds S] [--jobs J] [--work DIR] [--no-build] [TARGET ...]
#
# Every target first replays its regression inputs (Fuzz/fixtures/<target>/, inputs that once
# crashed), then fuzzes from the seed corpus (Fuzz/seeds.py: shipped files, the malformed corpus,
# the real networks) plus the committed corpus (Fuzz/corpus/<target>/) for N executions
# (default: the per-target count below, sized to reach the plateau of coverage in CI) or S
# seconds. A crash, a leak, a timeout (10 s) or a FINDING (an error without file or message, an
# imported model its own loader refuses, a block that does not round-trip) stops the target,
# copies the input to Fuzz/fixtures/<target>/ for the developer to commit, and fails the script.
# Prints per target: executions, seconds, coverage (edges reached of the binary's instrumented
# edges, and features), corpus size. --jobs J fuzzes J targets at once (default: the number of
# cores; each target is one single-threaded libFuzzer process with its own corpus and logs).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="" seconds="" work=/tmp/kaskada-fuzz build=1 targets=() jobs=$(nproc)
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n 2,16p "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
all=(model scenario geojson fragility couple matpower pandapower pandapipes epanet tntp shard checkpoint manifest)
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
# executions per target in CI: about 15 s each at the rates of the campaign (decision 67); slow targets
# (a model folder written and read back per input) get fewer
declare -A ci_runs=([model]=1600 [scenario]=1200 [geojson]=4000 [fragility]=10000 [couple]=1000 [matpower]=2200
                    [pandapower]=7000 [pandapipes]=2200 [epanet]=2000 [tntp]=4500 [shard]=15000 [checkpoint]=15000 [manifest]=20000)
declare -A dict=([model]=model [scenario]=scenario [geojson]=geojson [fragility]=fragility [couple]=couple [matpower]=matpower
                 [pandapower]=pandas [pandapipes]=pandas [epanet]=epanet [tntp]=tntp [shard]=results [checkpoint]=results [manifest]=results)

bin=${KASKADA_FUZZ_BIN:-Fuzz/.build/release/kaskada-fuzz}
if [ "$build" = 1 ]; then
  echo "== building the fuzz targets (release, -sanitize=fuzzer,address)"
  # a new source file of the main package is missed by a cached build plan of this path dependency
  rm -f Fuzz/.build/release.yaml Fuzz/.build/release/description.json
  swift build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -E "error|warning: |Compiling|Build complete" | grep -v "Cannot export local symbol" | tail -5
fi
[ -x "$bin" ] || { echo "no $bin: build first" >&2; exit 1; }
kaskada=${KASKADA:-.build/release/kaskada}
[ -x "$kaskada" ] || kaskada=.build/debug/kaskada
rm -rf "$work/seeds" && mkdir -p "$work"
/usr/bin/python3 Fuzz/seeds.py "$work/seeds" $( [ -x "$kaskada" ] && echo --kaskada "$kaskada" ) >/dev/null
total_pcs=""
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
# Swift's own crash backtracer fights AddressSanitizer's report; libFuzzer and ASan print the stack
export SWIFT_BACKTRACE=enable=no
for t in "${targets[@]}"; do
  [ -n "${dict[$t]:-}" ] || { echo "unknown target $t (one of: ${all[*]})" >&2; exit 2; }
done
# Replays target $1's regression inputs, then fuzzes it; writes its table row to $work/$1.row and
# exits non-zero when it failed (the input that failed is copied to Fuzz/fixtures/$1/).
fuzz_one() {
  local t=$1
  art="$work/artifacts/$t/" corpus="$work/corpus/$t" log="$work/$t.log"
  mkdir -p "$art" "$corpus" "Fuzz/corpus/$t"
  export KASKADA_FUZZ_TARGET=$t
  # 1. the regression inputs: each must run clean
  if compgen -G "Fuzz/fixtures/$t/*" >/dev/null; then
    if ! "$bin" -timeout=10 -rss_limit_mb=4096 Fuzz/fixtures/$t/* >"$work/$t.fixtures.log" 2>&1; then
      echo "$t FAILED: a regression input crashes again (log: $work/$t.fixtures.log)" >"$work/$t.row"; return 1
    fi
  fi
  # 2. fuzzing
  limit=(-runs="${runs:-${ci_runs[$t]}}")
  [ -n "$seconds" ] && limit=(-max_total_time="$seconds")
  start=$(date +%s.%N)
  set +e
  "$bin" "$corpus" "Fuzz/corpus/$t" "$work/seeds/$t" -dict="Fuzz/dict/${dict[$t]}.dict" -max_len=65536 -timeout=10 \
    -rss_limit_mb=4096 -artifact_prefix="$art" -print_final_stats=1 "${limit[@]}" >"$log" 2>&1
  code=$?
  set -e
  secs=$(python3 -c "import time; print(f'{time.time() - $start:.0f}')")
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  last=$(grep -E '^#[0-9]+' "$log" | grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*' | tail -1 || true)
  cov=$(echo "$last" | awk '{print $2}') ft=$(echo "$last" | awk '{print $4}') corp=$(echo "$last" | awk '{print $6}')
  total_pcs=$(grep -o 'PC tables ([0-9]* PCs)' "$log" | grep -o '[0-9]*' | head -1 || true)
  result=ok
  if [ $code != 0 ]; then
    result="FAILED (exit $code)"
    mkdir -p "Fuzz/fixtures/$t"
    for f in "$art"*; do [ -f "$f" ] && cp "$f" "Fuzz/fixtures/$t/" && result="$result: $(basename "$f") → Fuzz/fixtures/$t/"; done
  fi
  {
    printf '%-11s %12s %8s %9s %9s %7s  %s\n' "$t" "$execs" "$secs" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
    if [ $code != 0 ]; then grep -E "FINDING|ERROR: |SUMMARY|Fatal error|fault" "$log" | head -5 | sed 's/^/    /' || true; fi
    echo "$total_pcs" >"$work/$t.pcs"
  } >"$work/$t.row"
  [ $code = 0 ]
}
# J targets at a time; the rows are printed in the targets' order once all have ended
running=0
for t in "${targets[@]}"; do
  rm -f "$work/$t.row" "$work/$t.pcs"
  fuzz_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait || true
failed=()
printf '%-11s %12s %8s %9s %9s %7s  %s\n' target executions seconds cov ft corpus result
for t in "${targets[@]}"; do
  if [ -f "$work/$t.row" ]; then cat "$work/$t.row"; else echo "$t FAILED: no result (log: $work/$t.log)"; fi
  grep -q "FAILED" "$work/$t.row" 2>/dev/null && failed+=("$t")
  [ -f "$work/$t.row" ] || failed+=("$t")
  [ -s "$work/$t.pcs" ] && total_pcs=$(cat "$work/$t.pcs")
done
echo "(cov: edges reached, of ${total_pcs:-?} instrumented edges in the binary (every Kaskada module and its dependencies); ft: libFuzzer's features; $jobs at a time; logs in $work)"
if [ ${#failed[@]} -gt 0 ]; then echo "FAILED targets: ${failed[*]}"; exit 1; fi
