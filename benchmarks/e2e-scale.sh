#!/usr/bin/env bash
# End-to-end scale: `kaskada run` on generated models of 2×10^4, 2×10^5 and 2×10^6 assets, 40
# samples, 1 thread, per phase (load, compile, samples, n1, rrw, coordination, mitigations,
# portfolio, write) the seconds and the peak resident memory from run.log, the whole command's
# wall time and peak RSS, and the C reference (graph build + the same number of cascade samples on
# the Buldyrev graph of the same size) measured in the same run.
#
# usage: benchmarks/e2e-scale.sh [--sizes "1e4 1e5 1e6"] [--rankings-up-to 1e5] [--samples 40] [--skip-large-model]
#                                [--coordinates "on off"] [--repeat 1]
#   sizes are assets PER NETWORK of the Buldyrev model (two networks: 2×size assets, 4×size links,
#   2×size dependency rows); the make_large_model.py model is generated with 2×size assets.
#   Rankings (N-1, rrw, coordination) run for sizes up to --rankings-up-to (default 1e5) on the
#   make_large_model.py model, and up to a hundredth of it on the Buldyrev model (whose baseline leaves
#   a few per cent of its assets out, which every N-1 cascade replays: docs/decisions.md D35).
#   --coordinates: run each model as generated (lat/lon: results.geojson and results.gpkg written)
#   and/or without its lat/lon columns (no map files); default both.
#   --repeat R runs every configuration R times, Kaskada and C alternating, and reports medians
#   (per phase, wall time and peak RSS): the machines are shared, and one run's phase times vary
#   by ±30%.
# environment: KASKADA (binary, default .build/release/kaskada), KASKADA_E2E_DIR (work folder,
#   default /tmp/kaskada-e2e; generated models are kept there and reused), KASKADA_REFERENCE.
# Prints a Markdown table; the growth of the post-sample phases (write, coordination, rrw,
# mitigations) from the second size to the third is checked against 1.3× linear (exit 1 beyond).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
sizes="1e4 1e5 1e6"; rank_max=1e5; samples=40; large=1; repeat=1; coords="on off"
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift ;;
    --rankings-up-to) rank_max=$2; shift ;;
    --samples) samples=$2; shift ;;
    --skip-large-model) large=0 ;;
    --repeat) repeat=$2; shift ;;
    --coordinates) coords=$2; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "e2e-scale.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
bin="${KASKADA:-$root/.build/release/kaskada}"
work="${KASKADA_E2E_DIR:-/tmp/kaskada-e2e}"
ref="${KASKADA_REFERENCE:-$root/../shared/reference}"
mkdir -p "$work"
[ -x "$bin" ] || swift build -c release --product kaskada >/dev/null || { echo "e2e-scale.sh: kaskada does not build" >&2; exit 2; }
have_c=0
if [ -f "$ref/c/cascade.c" ] && gcc -O3 -march=native -o "$work/cascade-c" "$ref/c/cascade.c" -lm -lpthread 2>/dev/null; then have_c=1; fi

num() { python3 -c "print(int(float('$1')))"; }

# model MODEL_KIND SIZE -> prints the scenario path (generates once)
model() {
  local kind=$1 n; n=$(num "$2")
  local dir="$work/$kind-$n"
  if [ ! -f "$dir/scenario.yaml" ]; then
    rm -rf "$dir"
    if [ "$kind" = buldyrev ]; then
      python3 benchmarks/workloads/make_buldyrev_model.py "$dir" --n "$n" --samples "$samples" >&2 || return 1
    else
      python3 benchmarks/workloads/make_large_model.py "$dir/model" --assets $((2 * n)) >&2 || return 1
      # every asset out with probability 0.05: random failures over the whole region
      printf 'name: large-%s\nnetwork: model/network.yaml\nevents:\n  - type: outage\n    probability: 0.05\n    select: {sector: [power, water, telecom, transport]}\nsimulation: {samples: %s, seed: 1}\n' \
        "$((2 * n))" "$samples" >"$dir/scenario.yaml"
    fi
  fi
  echo "$dir/scenario.yaml"
}

# plain SCENARIO -> the same scenario on a copy of its model without the lat/lon columns (made once)
plain() {
  local src; src=$(dirname "$1")
  local dir="$src-plain"
  if [ ! -f "$dir/scenario.yaml" ]; then
    rm -rf "$dir"; mkdir -p "$dir/model"
    for f in "$src"/model/*; do [ "$(basename "$f")" = assets.csv ] || ln -s "$f" "$dir/model/"; done
    python3 -c '
import csv, sys
with open(sys.argv[1], newline="") as f, open(sys.argv[2], "w", newline="") as g:
    r = csv.reader(f); head = next(r)
    keep = [k for k, c in enumerate(head) if c not in ("lat", "lon")]
    w = csv.writer(g, lineterminator="\n")
    w.writerow([head[k] for k in keep])
    for row in r: w.writerow([row[k] for k in keep])
' "$src/model/assets.csv" "$dir/model/assets.csv" || return 1
    cp "$1" "$dir/scenario.yaml"
  fi
  echo "$dir/scenario.yaml"
}

# phase NAME LOG... -> median seconds of the phase over the logs (or -)
phase() { python3 - "$@" <<'EOF'
import re, statistics, sys
want, vals = sys.argv[1], []
for path in sys.argv[2:]:
    m = re.search(r"^phases (.*)$", open(path).read(), re.M)
    ph = dict((k, float(s)) for k, s, p in re.findall(r"(\w+) ([0-9.]+) s \(peak ([0-9.]+) MiB\)", m.group(1))) if m else {}
    if want in ph: vals.append(ph[want])
print("%.2f" % statistics.median(vals) if vals else "-")
EOF
}
median() { python3 -c "import statistics, sys; print('%.2f' % statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }

rows=()
declare -A post
echo "| model | assets | lat/lon | rankings | load s | compile s | samples s | n1 s | rrw s | coord. s | write s | total s | peak RSS MiB | C build+samples s | C peak MiB | total / C |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for kind in buldyrev $([ $large -eq 1 ] && echo large); do
  for size in $sizes; do
    n=$(num "$size")
    generated=$(model "$kind" "$size") || { echo "e2e-scale.sh: cannot generate $kind $size" >&2; exit 1; }
    for co in $coords; do
    sc=$generated
    [ "$co" = off ] && { sc=$(plain "$generated") || { echo "e2e-scale.sh: cannot strip the coordinates of $generated" >&2; exit 1; }; }
    for rk in off on; do
      limit=$(num "$rank_max"); [ "$kind" = buldyrev ] && limit=$((limit / 100))
      if [ "$rk" = on ] && [ "$n" -gt "$limit" ]; then continue; fi
      out="$work/out-$kind-$n-$co-$rk"
      flags=(--threads 1 --samples "$samples" --force --quiet --out "$out")
      [ "$rk" = off ] && flags+=(--no-rankings)
      walls=(); rsss=(); cs=(); crss=(); logs=()
      for k in $(seq "$repeat"); do
        /usr/bin/time -f '%e %M' -o "$work/time.txt" "$bin" run "$sc" "${flags[@]}" || { echo "e2e-scale.sh: kaskada run failed on $sc" >&2; exit 1; }
        read -r wall rss <"$work/time.txt"; walls+=("$wall"); rsss+=("$rss")
        cp "$out/run.log" "$work/run-$kind-$n-$co-$rk-$k.log"; logs+=("$work/run-$kind-$n-$co-$rk-$k.log")
        if [ $have_c -eq 1 ] && [ "$kind" = buldyrev ] && [ "$rk" = off ]; then
          /usr/bin/time -f '%e %M' -o "$work/ctime.txt" "$work/cascade-c" time "$n" "$samples" 0.65 1 >/dev/null 2>&1
          read -r c_s c_rss <"$work/ctime.txt"; cs+=("$c_s"); crss+=("$c_rss")
        fi
      done
      wall=$(median "${walls[@]}"); rss_mib=$(python3 -c "print(round($(median "${rsss[@]}") / 1024))")
      c_s="-"; c_mib="-"; ratio="-"
      if [ ${#cs[@]} -gt 0 ]; then
        c_s=$(median "${cs[@]}"); c_mib=$(python3 -c "print(round($(median "${crss[@]}") / 1024))")
        ratio=$(python3 -c "print('%.2f' % ($wall / $c_s) if $c_s > 0 else '-')")
      fi
      ph() { phase "$1" "${logs[@]}"; }
      echo "| $kind | $((2 * n)) | $co | $rk | $(ph load) | $(ph compile) | $(ph samples) | $(ph n1) | $(ph rrw) | $(ph coordination) | $(ph write) | $wall | $rss_mib | $c_s | $c_mib | $ratio |"
      post["$kind-$n-$co-$rk"]=$(python3 -c "import sys; v=[x for x in sys.argv[1:] if x != '-']; print(sum(map(float, v)))" \
        "$(ph write)" "$(ph rrw)" "$(ph coordination)" "$(ph mitigations)")
    done
    done
  done
done
# growth of the post-sample phases between the two largest sizes (rankings off)
set -- $sizes
if [ $# -ge 3 ]; then
  a=$(num "$2"); b=$(num "$3")
  status=0
  for kind in buldyrev $([ $large -eq 1 ] && echo large); do
    co=${coords%% *}
    x=${post["$kind-$a-$co-off"]:-}; y=${post["$kind-$b-$co-off"]:-}
    [ -z "$x" ] || [ -z "$y" ] && continue
    python3 - "$kind" "$x" "$y" "$a" "$b" <<'EOF' || status=1
import sys
kind, x, y, a, b = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
linear = b / a
g = y / max(x, 1e-3)
ok = g <= 1.3 * linear
print(f"{kind}: post-sample phases {x:.2f} s -> {y:.2f} s: {g:.1f}x for {linear:.0f}x the assets ({'within' if ok else 'BEYOND'} 1.3x linear)")
sys.exit(0 if ok else 1)
EOF
  done
  exit $status
fi
