#!/usr/bin/env bash
# The live situation service under load, on loopback. Bounded in time.
#
#   benchmarks/serve.sh [--serve BIN] [--scenario FILE] [--soak-seconds 600] [--wrk-seconds 20]
#
# Starts `kaskada-serve` (release build: Serve/.build/release/kaskada-serve) on the shipped
# municipality (scenarios/riverside-flood-100y-timed.yaml, 4,077 assets) with a centre token and
# the rate limit lifted, opens a situation with a flooded substation and a hazard footprint, then
# measures:
#   1. state queries: wrk, 2 threads, 64 connections, --wrk-seconds: requests/s and p50/p99;
#      as a reference in the same run, /healthz (the HTTP stack without the model);
#   2. report-to-updated-state latency: 50 times POST a report, then GET the state that
#      includes it (one keep-alive connection): median and p95 of the pair, in ms;
#   3. forward runs: outlook with 1,000 samples over 72 h (3 times, median) and a paired what-if
#      with 1,000 samples;
#   4. memory under mixed load for --soak-seconds: wrk on the state, a report every second,
#      an outlook of 200 samples every 10 s; RSS every 10 s. Flat means the last third's
#      largest RSS is within 10% of the first third's largest.
# Prints one table; exit 1 when the memory is not flat or a request failed.
set -euo pipefail
cd "$(dirname "$0")/.."
serve=Serve/.build/release/kaskada-serve
scenario=scenarios/riverside-flood-100y-timed.yaml
soak=600 wrk_seconds=20
while [ $# -gt 0 ]; do
  case "$1" in
    --serve) serve=$2; shift 2 ;;
    --scenario) scenario=$2; shift 2 ;;
    --soak-seconds) soak=$2; shift 2 ;;
    --wrk-seconds) wrk_seconds=$2; shift 2 ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 2; }
[ -x "$serve" ] || { echo "no $serve: swift build -c release --package-path Serve"; exit 2; }

work=$(mktemp -d /tmp/kaskada-serve-bench.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; true' EXIT
T=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
echo "$T" | "$serve" hash-token centre > "$work/tokens"
"$serve" "$scenario" --port 0 --data "$work/data" --tokens "$work/tokens" --rate 1000000 --burst 1000000 \
  --compute-seconds 600 --max-sample-hours 10000000 > "$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
BASE=$(grep -o 'http://[^ ]*' "$work/serve.log" | head -1)
[ -n "$BASE" ] || { cat "$work/serve.log"; exit 1; }
export BASE T
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }

SIT=$(curl -sf -X POST -H "Authorization: Bearer $T" -d '{"name": "benchmark"}' "$BASE/v1/situations" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -sf -o /dev/null -X POST -H "Authorization: Bearer $T" -d '{"type": "damaged", "ids": ["PWR-SS01"]}' "$BASE/v1/situations/$SIT/reports"
curl -sf -o /dev/null -X POST -H "Authorization: Bearer $T" -d '{"type": "hazard", "footprint": 1, "scale": 1}' "$BASE/v1/situations/$SIT/reports"
export SIT
assets=$(curl -sf -H "Authorization: Bearer $T" "$BASE/v1/situations/$SIT/state" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["assets"], s["assets_down"])')
echo "kaskada-serve $serve on $scenario: $assets (assets, down after the reports); $(nproc) cores"
echo "RSS after start and two reports: $(rss) KiB"

wrk_run() { # NAME URL -> "req/s p50 p99 non2xx"; wrk's own output in $work/wrk-NAME.txt
  wrk -t2 -c64 -d"${wrk_seconds}s" --latency -H "Authorization: Bearer $T" "$2" > "$work/wrk-$1.txt"
  python3 - "$work/wrk-$1.txt" <<'EOF'
import re, sys
t = open(sys.argv[1]).read()
def ms(s):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", s)
    if not m: raise SystemExit(f"unreadable wrk latency {s!r} in {sys.argv[1]}:\n{t}")
    v, u = m.groups()
    return float(v) * {"us": 1e-3, "ms": 1, "s": 1e3, "m": 6e4}[u]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
# the distribution's own lines ("     50%    5.26ms"), not a "+/- Stdev" column ending in 50%
p50 = ms(re.search(r"^\s+50%\s+(\S+)", t, re.M).group(1)); p99 = ms(re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
errors = re.search(r"Socket errors: .*", t)
print(f"{rps:.0f} {p50:.2f} {p99:.2f} {bad.group(1) if bad else 0} {'socket errors' if errors else ''}")
EOF
}
echo "== 1. wrk, 64 connections, ${wrk_seconds} s each"
read -r h_rps h_p50 h_p99 h_bad _ <<<"$(wrk_run healthz "$BASE/healthz")"
read -r s_rps s_p50 s_p99 s_bad _ <<<"$(wrk_run state "$BASE/v1/situations/$SIT/state")"
echo "healthz: $h_rps req/s, p50 $h_p50 ms, p99 $h_p99 ms ($h_bad non-2xx)"
echo "state:   $s_rps req/s, p50 $s_p50 ms, p99 $s_p99 ms ($s_bad non-2xx)"
[ "$s_bad" = 0 ] || { echo "FAILED: non-2xx answers to the state"; exit 1; }

echo "== 2. report to updated state, 3. forward runs"
python3 - <<'EOF'
import http.client, json, os, statistics, time, urllib.parse
base = urllib.parse.urlparse(os.environ["BASE"]); sit = os.environ["SIT"]
h = {"Authorization": "Bearer " + os.environ["T"], "Content-Type": "application/json"}
c = http.client.HTTPConnection(base.hostname, base.port, timeout=900)
def call(method, path, body=None):
    c.request(method, path, body=body, headers=h)
    r = c.getresponse(); data = r.read()
    if r.status >= 300: raise SystemExit(f"FAILED: {method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data)
lat = []
for i in range(50):
    t0 = time.perf_counter()
    n = call("POST", f"/v1/situations/{sit}/reports", json.dumps({"type": "out", "ids": [f"PWR-SS0{3 + i % 5}"], "duration_hours": 1}))["number"]
    s = call("GET", f"/v1/situations/{sit}/state")
    lat.append((time.perf_counter() - t0) * 1e3)
    assert s["version"] >= n, "the state does not include the report just accepted"
lat.sort()
print(f"report → updated state: median {statistics.median(lat):.1f} ms, p95 {lat[int(0.95 * len(lat)) - 1]:.1f} ms (50 pairs; includes the fsync of the report)")
times = []
for _ in range(3):
    t0 = time.perf_counter(); o = call("GET", f"/v1/situations/{sit}/outlook?samples=1000&horizon_hours=72"); times.append(time.perf_counter() - t0)
print(f"outlook 1,000 samples × 72 h: median {statistics.median(times):.2f} s of {', '.join(f'{t:.2f}' for t in times)}")
t0 = time.perf_counter()
w = call("POST", f"/v1/situations/{sit}/whatif", json.dumps({"action": "restore_first", "ids": ["PWR-SS01"], "samples": 1000, "horizon_hours": 72}))
print(f"what-if 1,000 samples × 72 h (paired, both arms): {time.perf_counter() - t0:.2f} s")
EOF

echo "== 4. memory under mixed load for ${soak} s"
log=$work/rss.txt
: > "$log"
end=$(( $(date +%s) + soak ))
( while [ "$(date +%s)" -lt "$end" ]; do
    wrk -t1 -c16 -d5s -H "Authorization: Bearer $T" "$BASE/v1/situations/$SIT/state" >/dev/null 2>&1 || true
  done ) &
l1=$!
( i=0; while [ "$(date +%s)" -lt "$end" ]; do
    i=$((i + 1))
    curl -sf -o /dev/null -X POST -H "Authorization: Bearer $T" -d "{\"type\": \"out\", \"ids\": [\"WAT-PS0$(( 1 + i % 5 ))\"], \"duration_hours\": 1}" "$BASE/v1/situations/$SIT/reports" || echo "report failed" >> "$work/errors"
    if [ $((i % 10)) = 0 ]; then curl -sf -o /dev/null -H "Authorization: Bearer $T" "$BASE/v1/situations/$SIT/outlook?samples=200&horizon_hours=72" || echo "outlook failed" >> "$work/errors"; fi
    sleep 1
  done ) &
l2=$!
while [ "$(date +%s)" -lt "$end" ]; do echo "$(date +%s) $(rss)" >> "$log"; sleep 10; done
wait $l1 $l2 || true
[ ! -s "$work/errors" ] || { echo "FAILED: $(sort "$work/errors" | uniq -c)"; exit 1; }
python3 - "$log" <<'EOF'
import sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
k = max(1, len(rows) // 3)
first, last = max(r[1] for r in rows[:k]), max(r[1] for r in rows[-k:])
print(f"RSS: first third max {first / 1024:.0f} MiB, last third max {last / 1024:.0f} MiB, {len(rows)} samples every 10 s; growth {100 * (last - first) / first:+.1f}%")
if last > 1.10 * first: raise SystemExit("FAILED: memory grew by more than 10% under steady load")
EOF
echo "reports in the situation at the end: $(curl -sf -H "Authorization: Bearer $T" "$BASE/v1/situations/$SIT/reports" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
