#!/usr/bin/env bash
# Checks that a result folder's report.html renders in a real browser (headless Chromium):
# - report.html refers to no external URL (it must be one self-contained page);
# - the DOM after the page's script ran holds every chart the data files call for
#   (chart-exceedance; chart-restoration with timeline.csv; chart-coordination with
#   coordination.csv; chart-map unless summary.json says coordinates "none");
# - the page's inline script found every chart drawn (body data-rendered="ok": each chart svg
#   has a title and content and a size on the page);
# - Chromium reported no JavaScript error ("Uncaught").
# Installs the Debian package chromium with apt-get when it is missing and we run as root.
# Usage: scripts/check-report-html.sh RESULT_DIR        Exit 0 ok, 1 failed.
set -euo pipefail

dir=${1:-}
if [ -z "$dir" ] || [ ! -d "$dir" ]; then
  echo "usage: scripts/check-report-html.sh RESULT_DIR (a folder with report.html)" >&2
  exit 1
fi
html="$dir/report.html"
fail() { echo "check-report-html: FAILED: $*" >&2; exit 1; }
[ -f "$html" ] || fail "$html not found"

find_chromium() {
  for c in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return 0; fi
  done
  return 1
}
if ! chrome=$(find_chromium); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "check-report-html: installing chromium with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
    chrome=$(find_chromium) || fail "chromium is still not on PATH after apt-get install chromium"
  else
    fail "chromium not found; install it with: sudo apt-get install chromium (Debian) or put chromium on PATH"
  fi
fi

# the charts the data files call for
expected=()
if ! grep -Eq '"exceedance": *\[ *\]' "$dir/summary.json" 2>/dev/null && grep -q '"exceedance"' "$dir/summary.json" 2>/dev/null; then
  expected+=(chart-exceedance)
fi
has_rows() { [ -f "$1" ] && [ "$(tail -n +2 "$1" | grep -c .)" -gt 0 ]; }
if has_rows "$dir/timeline.csv"; then expected+=(chart-restoration); fi
if has_rows "$dir/coordination.csv"; then expected+=(chart-coordination); fi
coords=$(grep -Eo '"coordinates": *"[a-z0-9]*"' "$dir/summary.json" 2>/dev/null | sed -E 's/.*"([a-z0-9]*)"$/\1/' || true)
if [ -n "$coords" ] && [ "$coords" != none ]; then expected+=(chart-map); fi

# one self-contained page: no external URL anywhere
if grep -Eiq '(https?|ftp)://|src="//|href="//' "$html"; then
  fail "$html refers to an external URL: $(grep -Eio '(https?|ftp)://[^"<> ]*|(src|href)="//[^"]*' "$html" | head -3 | tr '\n' ' ')"
fi

abs="$(cd "$dir" && pwd)/report.html"
url="file://$(printf '%s' "$abs" | sed -e 's/%/%25/g' -e 's/ /%20/g' -e 's/#/%23/g' -e 's/?/%3F/g')"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
timeout 180 "$chrome" --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions \
  --disable-background-networking --disable-component-update --disable-sync --metrics-recording-only \
  --enable-logging=stderr --v=0 --user-data-dir="$tmp/profile" \
  --dump-dom "$url" >"$tmp/dom.html" 2>"$tmp/stderr.log" || status=$?
if [ "$status" != 0 ]; then
  tail -20 "$tmp/stderr.log" >&2 || true
  fail "chromium exited with $status on $url"
fi
[ -s "$tmp/dom.html" ] || { tail -20 "$tmp/stderr.log" >&2; fail "chromium dumped an empty DOM for $url"; }
if grep -q "Uncaught" "$tmp/stderr.log"; then
  grep "Uncaught" "$tmp/stderr.log" | head -5 >&2
  fail "a JavaScript error occurred in $html"
fi
for id in "${expected[@]}"; do
  grep -q "<svg id=\"$id\"" "$tmp/dom.html" || fail "the rendered page has no <svg id=\"$id\"> although the data call for it"
done
grep -q 'data-rendered="ok"' "$tmp/dom.html" \
  || fail "the page's check did not pass ($(grep -Eo 'data-rendered="[a-z]*"' "$tmp/dom.html" | head -1 || echo 'no data-rendered on body')): a chart svg is empty, untitled or has no size, or the script did not run"
charts=$(grep -Eo 'data-charts="[0-9]+"' "$tmp/dom.html" | head -1 | grep -Eo '[0-9]+' || echo 0)
echo "check-report-html: ok: $html rendered in $("$chrome" --version 2>/dev/null | head -1 || echo chromium); $charts chart(s) drawn; expected ${expected[*]:-none}"
