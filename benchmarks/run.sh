#!/usr/bin/env bash
# Benchmark suite: the reference workloads (../shared/reference/README.md) through Kaskada's engine
# (kaskada-bench) against the C reference implementations, measured in the same run, interleaved.
#
# usage: benchmarks/run.sh [--quick]
#   full:    cascade N=1e5 (21 samples) and N=1e6 (7 samples): Kaskada's incremental giant step
#            (default) vs C incremental (mode 1), Kaskada --full vs C full BFS (mode 0);
#            fragility Monte Carlo 1000 samples on 1 and 2 threads vs C; the 1M-asset load
#            (benchmarks/load-1m.sh). Exit 1 when a result differs from the reference.
#   --quick: (CI, a few minutes on 2 cores) cascade N=1e5 and 200-sample frag only; exit 1 when a
#            result differs from the reference or a time ratio to C exceeds KASKADA_BENCH_MAX_RATIO.
# environment:
#   KASKADA_SCRATCH          SwiftPM scratch path (default .build)
#   KASKADA_BENCH_RUNS       runs per measurement, each its own process (default 3, at least 3)
#   KASKADA_BENCH_MAX_RATIO  --quick gate on Kaskada/C time ratios (default 3)
#   KASKADA_BENCH_DIR        work folder: C binaries, raw outputs (default /tmp/kaskada-bench)
#   KASKADA_REFERENCE        reference folder (default ../shared/reference from the repo root)
# Each measurement runs RUNS times as its own process (Kaskada and C alternating, so that they see
# the same machine load); the table gives medians, "noisy" when a measurement's runs spread by
# more than 20% of their median. Peak memory: max RSS of each process (/usr/bin/time, else a
# getrusage(RUSAGE_CHILDREN) wrapper). One JSON line per suite run goes to
# results/benchmarks/history.jsonl.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
quick=0
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$a' (usage: benchmarks/run.sh [--quick])" >&2; exit 2 ;;
  esac
done
scratch="${KASKADA_SCRATCH:-.build}"
runs="${KASKADA_BENCH_RUNS:-3}"; [ "$runs" -lt 3 ] && runs=3
max_ratio="${KASKADA_BENCH_MAX_RATIO:-3}"
work="${KASKADA_BENCH_DIR:-/tmp/kaskada-bench}"
ref="${KASKADA_REFERENCE:-$root/../shared/reference}"
raw="$work/raw-$$"; mkdir -p "$raw" "$work/c" results/benchmarks
started=$(date +%s)
failures=()
notes=()

# ---------------------------------------------------------------- builds
echo "== build (release, scratch path $scratch)"
t0=$(date +%s)
if ! swift build -c release --scratch-path "$scratch" --product kaskada-bench >"$raw/build-bench.log" 2>&1; then
  cat "$raw/build-bench.log"; echo "run.sh: kaskada-bench does not build" >&2; exit 2
fi
if [ $quick -eq 0 ]; then
  if ! swift build -c release --scratch-path "$scratch" --product kaskada >"$raw/build-kaskada.log" 2>&1; then
    cat "$raw/build-kaskada.log"; echo "run.sh: kaskada does not build" >&2; exit 2
  fi
fi
bench="$scratch/release/kaskada-bench"
have_c=0
if [ -f "$ref/c/cascade.c" ] && [ -f "$ref/c/frag.c" ] && command -v gcc >/dev/null; then
  if gcc -O3 -march=native -o "$work/c/cascade" "$ref/c/cascade.c" -lm -lpthread &&
     gcc -O3 -march=native -o "$work/c/frag" "$ref/c/frag.c" -lm -lpthread; then
    have_c=1
  else
    notes+=("the C reference did not compile: comparisons skipped")
  fi
else
  notes+=("C reference not found at $ref (or no gcc): comparisons skipped, results checked against the published values only")
fi
echo "   builds: $(( $(date +%s) - t0 )) s; C reference: $([ $have_c -eq 1 ] && echo "$ref/c" || echo absent)"

# ---------------------------------------------------------------- measuring
# run_once NAME CMD...: runs CMD as its own process; keeps its last `tool=` line and its max RSS.
run_once() {
  local name=$1; shift
  local out="$raw/$name.$(date +%s%N)"
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$out.rss" "$@" >"$out.out" 2>"$out.err"
  else
    python3 -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:], stdout=open(sys.argv[1] + ".out", "w"), stderr=open(sys.argv[1] + ".err", "w"))
open(sys.argv[1] + ".rss", "w").write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' "$out" "$@"
  fi
  local rc=$?
  if [ $rc -ne 0 ]; then
    echo "run.sh: '$*' failed (exit $rc):" >&2; tail -5 "$out.err" >&2
    failures+=("$name: '$*' exited with $rc")
    return 1
  fi
  local line; line=$(grep '^tool=' "$out.out" | tail -1)
  echo "$line" >>"$raw/$name.lines"
  tail -1 "$out.rss" >>"$raw/$name.rss"
  echo "   $name: $line"
}
# kv KEY LINE: the value of KEY=... in a `key=value ...` line.
kv() { sed -nE "s/.*(^| )$(printf '%s' "$1" | sed 's/[][]/\\&/g')=([^ ]*).*/\2/p" <<<"$2"; }
# vals NAME KEY: the values of KEY over NAME's runs, one a line.
vals() { [ -f "$raw/$1.lines" ] && while IFS= read -r l; do kv "$2" "$l"; done <"$raw/$1.lines"; }
# med / spread of numbers on stdin (spread = (max - min) / median)
med() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else print (NR%2==1) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
spread() { sort -g | awk '{a[NR]=$1} END {if (NR<2) print 0; else {m=(NR%2==1)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; print (m>0)?(a[NR]-a[1])/m:0}}'; }
rss_mib() { [ -f "$raw/$1.rss" ] && med <"$raw/$1.rss" | awk '{printf "%.1f", $1/1024}'; }
distinct() { sort -u | paste -sd' ' -; }

# group of measurements run alternately, RUNS times
alternate() {   # alternate "NAME|CMD ..." ...
  local i spec
  for i in $(seq "$runs"); do
    for spec in "$@"; do
      # shellcheck disable=SC2086
      run_once "${spec%%|*}" ${spec#*|}
    done
  done
}

n5=100000; n6=1000000
fr_samples=1000; [ $quick -eq 1 ] && fr_samples=200
echo "== cascade N=1e5, 21 samples, p=0.65 ($runs runs each)"
specs=("kcas5|$bench cascade $n5 21 --p 0.65 --quiet" "kcas5full|$bench cascade $n5 21 --p 0.65 --full --quiet"
       "kcas5seq|$bench cascade $n5 21 --p 0.65 --sequential --quiet")
[ $have_c -eq 1 ] && specs+=("ccas5inc|$work/c/cascade time $n5 21 0.65 1" "ccas5full|$work/c/cascade time $n5 21 0.65 0")
alternate "${specs[@]}"
if [ $quick -eq 0 ]; then
  echo "== cascade N=1e6, 7 samples, p=0.65 ($runs runs each)"
  specs=("kcas6|$bench cascade $n6 7 --p 0.65 --quiet" "kcas6full|$bench cascade $n6 7 --p 0.65 --full --quiet"
         "kcas6seq|$bench cascade $n6 7 --p 0.65 --sequential --quiet")
  [ $have_c -eq 1 ] && specs+=("ccas6inc|$work/c/cascade time $n6 7 0.65 1" "ccas6full|$work/c/cascade time $n6 7 0.65 0")
  alternate "${specs[@]}"
  echo "== cascade N=1e6 through the whole Network model (as loaded from files), 1 sample ($runs runs)"
  alternate "kcas6net|$bench cascade $n6 1 --p 0.65 --via-network --quiet"
fi
for th in 1 2; do
  echo "== fragility Monte Carlo, $fr_samples samples, $th thread(s) ($runs runs each)"
  specs=("kfrag$th|$bench frag $fr_samples $th --reps 1")
  [ $have_c -eq 1 ] && specs+=("cfrag$th|$work/c/frag $fr_samples $th 5")
  alternate "${specs[@]}"
done
n1_line=""
if [ $quick -eq 0 ]; then
  echo "== N-1 of every asset of a 100,000-asset model (benchmarks/n1-100k.sh)"
  if KASKADA_SCRATCH="$scratch" benchmarks/n1-100k.sh >"$raw/n1.out" 2>"$raw/n1.err"; then
    sed 's/^/   /' "$raw/n1.out"; n1_line=$(grep '^rankings' "$raw/n1.out" | tail -1)
  else
    cat "$raw/n1.err" >&2; failures+=("n1-100k.sh failed")
  fi
fi
load_line=""
if [ $quick -eq 0 ]; then
  echo "== load of the 1M-asset model (benchmarks/load-1m.sh $runs)"
  if KASKADA_SCRATCH="$scratch" benchmarks/load-1m.sh "$runs" >"$raw/load.out" 2>"$raw/load.err"; then
    sed 's/^/   /' "$raw/load.out"
    load_line=$(grep '^load of' "$raw/load.out" | tail -1)
  else
    cat "$raw/load.err" >&2; failures+=("load-1m.sh failed")
  fi
fi

# ---------------------------------------------------------------- results
# row LABEL KNAME KEY CNAME CKEY: medians, ratios, spread notes; appends to the table and the JSON rows
table=(); json_rows=()
row() {
  local label=$1 kn=$2 kkey=$3 cn=$4 ckey=$5
  local ks cs ratio km cm mratio ksp csp noisy=""
  ks=$(vals "$kn" "$kkey" | med); ksp=$(vals "$kn" "$kkey" | spread)
  km=$(rss_mib "$kn")
  if [ -n "$cn" ] && [ -f "$raw/$cn.lines" ]; then
    cs=$(vals "$cn" "$ckey" | med); csp=$(vals "$cn" "$ckey" | spread); cm=$(rss_mib "$cn")
    ratio=$(awk -v a="$ks" -v b="$cs" 'BEGIN {printf (b>0) ? "%.2f" : "nan", a/b}')
    mratio=$(awk -v a="$km" -v b="$cm" 'BEGIN {printf (b>0) ? "%.2f" : "nan", a/b}')
  else
    cs="—"; csp=0; cm="—"; ratio="—"; mratio="—"
  fi
  local who
  for who in "Kaskada:$ksp" "C:$csp"; do
    if awk -v s="${who#*:}" 'BEGIN {exit !(s > 0.20)}'; then
      noisy="$noisy (machine too noisy: ${who%%:*} runs spread $(awk -v s="${who#*:}" 'BEGIN {printf "%.0f", 100*s}')%)"
    fi
  done
  table+=("| $label | $ks | $cs | $ratio | $km | $cm | $mratio |$noisy")
  json_rows+=("{\"workload\":\"$label\",\"kaskada_s\":$(jnum "$ks"),\"c_s\":$(jnum "$cs"),\"ratio\":$(jnum "$ratio"),\"kaskada_mib\":$(jnum "$km"),\"c_mib\":$(jnum "$cm"),\"mem_ratio\":$(jnum "$mratio"),\"spread_kaskada\":$(jnum "$ksp"),\"spread_c\":$(jnum "$csp"),\"noisy\":$([ -n "$noisy" ] && echo true || echo false)}")
  if [ $quick -eq 1 ] && [ "$ratio" != "—" ] && awk -v r="$ratio" -v m="$max_ratio" 'BEGIN {exit !(r > m)}'; then
    failures+=("$label: Kaskada/C time ratio $ratio exceeds $max_ratio")
  fi
}
jnum() { if [[ "$1" =~ ^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]]; then printf '%s' "$1"; else printf 'null'; fi; }

row "cascade N=1e5, s/sample, incremental giant steps (Kaskada default vs C mode 1)" kcas5 median_s ccas5inc median_s
row "cascade N=1e5, s/sample, full BFS steps (Kaskada --full vs C mode 0)" kcas5full median_s ccas5full median_s
row "cascade N=1e5, s/sample, sequential order (Buldyrev's alternating process), incremental (vs C mode 1)" kcas5seq median_s ccas5inc median_s
if [ $quick -eq 0 ]; then
  row "cascade N=1e6, s/sample, incremental giant steps (Kaskada default vs C mode 1)" kcas6 median_s ccas6inc median_s
  row "cascade N=1e6, s/sample, full BFS steps (Kaskada --full vs C mode 0)" kcas6full median_s ccas6full median_s
  row "cascade N=1e6, s/sample, sequential order, incremental (vs C mode 1)" kcas6seq median_s ccas6inc median_s
  row "graph build N=1e6, s (Kaskada: ER into plain columns + CompiledGraph; C: ER + 2 CSR)" kcas6 graph_build_s ccas6inc graph_build_s
  row "cascade N=1e6 via the Network model, memory (Kaskada --via-network, 1 sample, vs C mode 1)" kcas6net median_s ccas6inc median_s
  row "graph build N=1e6 via the Network model, s (ER + Network + CompiledGraph(Network))" kcas6net graph_build_s ccas6inc graph_build_s
  row "graph build N=1e6, s (CompiledGraph(Network) only)" kcas6net compile_s ccas6inc graph_build_s
fi
row "frag $fr_samples samples, 1 thread, s" kfrag1 median_s cfrag1 median_s
row "frag $fr_samples samples, 2 threads, s" kfrag2 median_s cfrag2 median_s
if [ -n "$load_line" ]; then
  load_s=$(sed -nE 's/.*median ([0-9.]+) s.*/\1/p' <<<"$load_line")
  load_mib=$(sed -nE 's/.*peak RSS median ([0-9.]+) MiB.*/\1/p' <<<"$load_line")
  load_sp=$(sed -nE 's/.*spread ([0-9.]+)%.*/\1/p' <<<"$load_line")
  lnote=""; awk -v s="${load_sp:-0}" 'BEGIN {exit !(s > 20)}' && lnote=" (machine too noisy: runs spread ${load_sp}%)"
  table+=("| load 1M assets + 2M links + 500k deps (validate --timings), s | $load_s | — | — | ${load_mib:-—} | — | — |$lnote")
  json_rows+=("{\"workload\":\"load 1M\",\"kaskada_s\":$(jnum "$load_s"),\"c_s\":null,\"ratio\":null,\"kaskada_mib\":$(jnum "${load_mib:-}"),\"c_mib\":null,\"mem_ratio\":null,\"spread_kaskada\":$(jnum "$(awk -v s="${load_sp:-0}" 'BEGIN {print s/100}')"),\"spread_c\":null,\"noisy\":$([ -n "$lnote" ] && echo true || echo false)}")
fi

# ---------------------------------------------------------------- checks against the reference
# published values (../shared/reference/README.md); the 200-sample fractions were printed by the C
# reference (`frag 200 1 3`) and are used only when the C reference is absent.
declare -A published=(
  [cas5]="0.45918"
  [frag1000]="0.59388,0.65376,0.60590,0.66370"
  [frag50]="0.64593,0.70967,0.65845,0.72043"
  [frag200]="0.59537,0.65463,0.60713,0.66496"
)
values=()
check() {   # check WHAT KASKADA-VALUES C-VALUES PUBLISHED
  local what=$1 k=$2 c=$3 p=$4 verdict="match"
  if [ -z "$k" ]; then verdict="MISSING"; failures+=("$what: no Kaskada value");
  elif [[ "$k" == *" "* ]]; then verdict="MISMATCH"; failures+=("$what: Kaskada's runs disagree ($k)")
  elif [ -n "$c" ] && [ "$c" != "$k" ]; then verdict="MISMATCH"; failures+=("$what: Kaskada $k, C $c")
  elif [ -z "$c" ] && [ -n "$p" ] && [ "$p" != "$k" ]; then verdict="MISMATCH"; failures+=("$what: Kaskada $k, published $p")
  elif [ -n "$p" ] && [ "$p" != "$k" ]; then verdict="match with C (published value $p differs from the C code's)"
  fi
  echo "   $what: Kaskada $k; C ${c:-—}; published ${p:-—}: $verdict"
  values+=("\"$what\":\"$k\"")
}
echo
echo "== results against the reference"
c5=""; c6=""; cf1=""; cf2=""
if [ $have_c -eq 1 ]; then
  c5=$( { vals ccas5inc mean_Pinf; vals ccas5full mean_Pinf; } | distinct)
  [ $quick -eq 0 ] && c6=$( { vals ccas6inc mean_Pinf; vals ccas6full mean_Pinf; } | distinct)
  cf1=$(vals cfrag1 'mean_functional_frac[power,water,fuel,transport]' | distinct)
  cf2=$(vals cfrag2 'mean_functional_frac[power,water,fuel,transport]' | distinct)
fi
check "cascade N=1e5 mean P_inf" "$( { vals kcas5 mean_Pinf; vals kcas5full mean_Pinf; vals kcas5seq mean_Pinf; } | distinct)" "$c5" "${published[cas5]}"
[ $quick -eq 0 ] && check "cascade N=1e6 mean P_inf" "$( { vals kcas6 mean_Pinf; vals kcas6full mean_Pinf; vals kcas6seq mean_Pinf; } | distinct)" "$c6" ""
check "frag $fr_samples, 1 thread, fractions" "$(vals kfrag1 'mean_functional_frac[power,water,fuel,transport]' | distinct)" "$cf1" "${published[frag$fr_samples]:-}"
check "frag $fr_samples, 2 threads, fractions" "$(vals kfrag2 'mean_functional_frac[power,water,fuel,transport]' | distinct)" "$cf2" "${published[frag$fr_samples]:-}"
if [ $quick -eq 0 ] && [ -n "$c6" ] && [ "$c6" != "0.46006" ]; then
  notes+=("N=1e6: the reference README quotes mean P_inf 0.46006 (rounds 19.4) for the first 7 attacks; the C code prints $c6 — Kaskada is checked against the C code")
fi
kr=$(vals kcas5 mean_rounds | distinct); ki=$(vals kcas5 mean_incremental_steps | distinct); cr=$(vals ccas5full mean_rounds | distinct)
notes+=("rounds at N=1e5: Kaskada ${kr:-?} rounds per sample, each computing the giant of both sectors from the round's starting set (${ki:-?} of those steps incremental, the rest full searches); C ${cr:-?} giant-component steps, alternating A and B")

# ---------------------------------------------------------------- report
echo
echo "== Kaskada vs C, medians of $runs runs ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)); ratio = Kaskada / C"
echo "| workload | Kaskada s | C s | ratio | Kaskada MiB | C MiB | ratio |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${table[@]}"
for nt in "${notes[@]}"; do echo "note: $nt"; done
for f in "${failures[@]}"; do echo "FAIL: $f"; done
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
dirty=false; [ -n "$(git status --porcelain 2>/dev/null)" ] && dirty=true
status=pass; [ ${#failures[@]} -gt 0 ] && status=fail
rows_json=$(IFS=,; echo "${json_rows[*]}")
vals_json=$(IFS=,; echo "${values[*]}")
printf '{"date":"%s","commit":"%s","dirty":%s,"mode":"%s","runs":%s,"cpus":%s,"load_avg":"%s","c_reference":%s,"status":"%s","wall_s":%s,"rows":[%s],"values":{%s}}\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$commit" "$dirty" "$([ $quick -eq 1 ] && echo quick || echo full)" "$runs" "$(nproc)" \
  "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" "$([ $have_c -eq 1 ] && echo true || echo false)" "$status" \
  "$(( $(date +%s) - started ))" "$rows_json" "$vals_json" >>results/benchmarks/history.jsonl
echo "appended to results/benchmarks/history.jsonl; raw outputs in $raw; $(( $(date +%s) - started )) s"
[ $status = pass ] || exit 1
