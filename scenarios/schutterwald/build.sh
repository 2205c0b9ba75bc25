#!/usr/bin/env bash
# Rebuilds the Schutterwald regional model from the real network files in scenarios/source-data:
# imports the three grids, then couples them with the hand-made critical consumers (couple.yaml).
# The imported folders are committed; CI runs this script and checks that nothing changes.
# Usage: scenarios/schutterwald/build.sh [path/to/kaskada]   (default: .build/release/kaskada)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
k=${1:-$repo/.build/release/kaskada}
src=$repo/scenarios/source-data
# MV Oberrhein (20 kV, pandapower): it reaches far beyond Schutterwald; its loads are the MV/LV
# stations of the whole area, so it carries no people here (Schutterwald's people are on the LV
# grid, once per chain as DESIGN.md section 2 asks)
"$k" import pandapower "$src/power/mv_oberrhein.json" --out "$here/mv" --name oberrhein-mv \
  --people-per-mw 0 --owner MVGridOperator --quiet
# LV Schutterwald (0.4 kV, pandapower): about 7,000 residents (assumption, the order of the
# municipality's population) spread over the LV buses pro rata by load
"$k" import pandapower "$src/power/lv_schutterwald.json" --out "$here/lv" --name schutterwald-lv \
  --population-total 7000 --owner LVGridOperator --quiet
# gas (1 bar distribution, pandapipes): the same 7,000 residents lose gas (heating, hot water),
# spread by sink mass flow; coordinates in Gauss-Krueger zone 3 (EPSG:31467, see MANIFEST.csv)
"$k" import pandapipes "$src/gas/gas_net_schutterwald_1bar.json" --out "$here/gas" --name schutterwald-gas \
  --population-total 7000 --crs EPSG:31467 --owner GasUtility --quiet
"$k" couple "$here/couple.yaml" --out "$here/model" --quiet
