#!/usr/bin/env bash
# Rewrites Sources/1-Model/ModelIO/DefaultFragility.swift from scenarios/fragility/default.csv (the copy of
# the shipped fragility library built into the binary). Run after editing default.csv; a test
# fails until the two agree.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
src = open('scenarios/fragility/default.csv').read()
assert '"""#' not in src
head = open('Sources/1-Model/ModelIO/DefaultFragility.swift').read().split('let embeddedDefaultFragility')[0]
open('Sources/1-Model/ModelIO/DefaultFragility.swift', 'w').write(head + 'let embeddedDefaultFragility = #"""\n' + src + '\n"""#\n')
PY
