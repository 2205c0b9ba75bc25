#!/usr/bin/env bash
# Measures the layout of Kaskada's HTML pages in headless Chromium:
# at each width (default 1280 and 1920 px, and 794 px: an A4 page at 96 dpi without margins,
# as printed) every table, chart, figure and preformatted block must fit the page (no element
# reaching past the viewport, no box that needs sideways scrolling) and every SVG text must lie
# inside its chart's viewBox (no clipped label). Saves a screenshot per page and width.
# Usage: scripts/check-layout.sh [--widths "1280 1920 794"] [--screens DIR] PAGE.html...
# Exit 0 when every page fits at every width, 1 otherwise (each offender printed).
set -euo pipefail
widths="1280 1920 794"; screens=""
while [ $# -gt 0 ]; do
  case "$1" in
    --widths) widths=$2; shift 2 ;;
    --screens) screens=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: scripts/check-layout.sh [--widths \"1280 1920 794\"] [--screens DIR] PAGE.html..." >&2; exit 1; }
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$chrome" ] || { echo "check-layout: chromium not found (apt-get install chromium)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
[ -z "$screens" ] || mkdir -p "$screens"
probe='<script>
window.addEventListener("load", function () {
  var W = document.documentElement.clientWidth, bad = [];
  function name(e) { return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && e.className.baseVal === undefined && e.className ? "." + String(e.className).split(" ")[0] : ""); }
  function where(e) { var h = e; while (h && !/^H[1-3]$/.test(h.tagName)) { h = h.previousElementSibling || h.parentElement; } return h ? " (under \"" + h.textContent.slice(0, 40) + "\")" : ""; }
  document.querySelectorAll("table, svg, figure, pre, img, div, p, ul").forEach(function (e) {
    if (e.closest("svg") && e.tagName.toLowerCase() !== "svg") return;
    var r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    if (r.right > W + 1) bad.push("past the page: " + name(e) + " right edge " + Math.round(r.right) + " > " + W + " px" + where(e));
    if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible") bad.push("needs sideways scrolling: " + name(e) + " " + e.scrollWidth + " > " + e.clientWidth + " px" + where(e));
  });
  document.querySelectorAll("svg").forEach(function (s) {
    var box = s.getBoundingClientRect(); if (!box.width) return;
    s.querySelectorAll("text").forEach(function (t) {
      var b = t.getBoundingClientRect();   // rendered box: rotation and viewBox scaling applied
      if (b.width === 0) return;
      if (b.left < box.left - 1 || b.right > box.right + 1 || b.top < box.top - 1 || b.bottom > box.bottom + 1) {
        var label = Array.prototype.filter.call(t.childNodes, function (n) { return n.nodeType === 3; }).map(function (n) { return n.textContent; }).join("");
        bad.push("clipped label in svg#" + s.id + ": \"" + label.slice(0, 40) + "\" spans " + Math.round(b.left - box.left) + ".." + Math.round(b.right - box.left) + " of 0.." + Math.round(box.width) + " px");
      }
    });
  });
  var out = document.createElement("pre"); out.id = "layout-probe";
  out.textContent = "LAYOUT-BEGIN\n" + bad.join("\n") + "\nLAYOUT-END";
  document.body.appendChild(out);
});
</script>'
failed=0
for page in "$@"; do
  [ -f "$page" ] || { echo "check-layout: $page not found" >&2; failed=1; continue; }
  base=$(basename "$(dirname "$page")")-$(basename "$page" .html)
  copy="$tmp/$base.html"
  python3 - "$page" "$copy" "$probe" <<'PY'
import sys
page, copy, probe = sys.argv[1:4]
html = open(page, encoding="utf-8").read()
open(copy, "w", encoding="utf-8").write(html.replace("</body>", probe + "</body>") if "</body>" in html else html + probe)
PY
  for w in $widths; do
    timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
      --user-data-dir="$tmp/profile" --window-size="$w,1200" --virtual-time-budget=5000 \
      --dump-dom "file://$copy" >"$tmp/dom.html" 2>/dev/null || true
    found=$(python3 -c '
import sys, re, html
t = open(sys.argv[1], encoding="utf-8", errors="replace").read()
m = re.search(r"LAYOUT-BEGIN\n(.*?)\n?LAYOUT-END", t, re.S)
print("NO-PROBE" if not m else html.unescape(m.group(1)).strip())' "$tmp/dom.html")
    if [ "$found" = NO-PROBE ]; then echo "check-layout: $page at $w px: the probe did not run" >&2; failed=1
    elif [ -n "$found" ]; then
      echo "check-layout: $page at $w px: $(printf '%s\n' "$found" | wc -l) problem(s):" >&2
      printf '%s\n' "$found" | sed 's/^/  /' | head -40 >&2
      failed=1
    else
      echo "check-layout: ok: $page at $w px"
    fi
    if [ -n "$screens" ]; then
      shot="$screens/$base-$w.png"
      timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
        --user-data-dir="$tmp/profile" --window-size="$w,2400" --screenshot="$shot" "file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")" >/dev/null 2>&1 || true
      [ -s "$shot" ] && echo "check-layout: screenshot $shot"
    fi
  done
done
exit $failed
