#!/bin/bash
# End-to-end test of deploy/slurm on a throwaway single-node Slurm cluster on this machine.
#
#   deploy/slurm/test-local-cluster.sh [--selftest] [kaskada run flags...]
#
# Installs slurm-wlm + munge (Debian 12, Slurm 22.05) if missing, starts munged, slurmctld
# and slurmd directly (no systemd needed), submits a sharded run with submit.sh (N-task
# array + dependent merge), waits for it, runs the same scenario unsharded and compares
# every file except run.log with cmp. Prints PASS/FAIL and timings; stops the daemons it
# started on exit. Must run as root. Meant for CI/test machines only: it writes
# /etc/slurm/slurm.conf and wipes /var/spool/slurmctld and /var/spool/slurmd.
#
# --selftest  uses a stand-in kaskada (a shell script with the same run --shard / merge
#             interface) to test the cluster and the sbatch scripts without the real binary.
#
# Environment (defaults in brackets):
#   KASKADA       kaskada binary [.build/release/kaskada]
#   SCENARIO      scenario [scenarios/riverside-flood-100y.yaml]
#   SHARDS        number of shards [7]
#   TEST_WORK     scratch folder, recreated on each run [/tmp/kaskada-slurm-test]
#   TIMEOUT       seconds to wait for the jobs [1800; 300 with --selftest]
#   CPUS_PER_TASK CPUs (= kaskada --threads) per shard [1]
#   KEEP_CLUSTER  1 = leave the daemons running on exit [0]
#   FORCE         1 = overwrite an /etc/slurm/slurm.conf not written by this script (backed up) [0]
# kaskada run flags default to: --samples 200 --quiet
set -euo pipefail

mode=full
case "${1:-}" in
  --selftest) mode=selftest; shift ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
esac
if [ "$#" -gt 0 ]; then flags=("$@"); else flags=(--samples 200 --quiet); fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"   # scenario and binary paths are relative to the repo root

KASKADA="${KASKADA:-.build/release/kaskada}"
SCENARIO="${SCENARIO:-scenarios/riverside-flood-100y.yaml}"
SHARDS="${SHARDS:-7}"
TEST_WORK="${TEST_WORK:-/tmp/kaskada-slurm-test}"
if [ "$mode" = selftest ]; then TIMEOUT="${TIMEOUT:-300}"; else TIMEOUT="${TIMEOUT:-1800}"; fi
KEEP_CLUSTER="${KEEP_CLUSTER:-0}"
FORCE="${FORCE:-0}"
CPUS_PER_TASK="${CPUS_PER_TASK:-1}"

conf=/etc/slurm/slurm.conf
marker="# Written by kaskada deploy/slurm/test-local-cluster.sh"
state=/run/kaskada-slurm-test          # pids of the daemons this script started
logdir=/var/log/slurm
host="$(hostname -s)"

log() { echo "[test-local-cluster] $*"; }
die() { echo "[test-local-cluster] ERROR: $*" >&2; exit 1; }
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

[ "$(id -u)" -eq 0 ] || die "run as root (installs packages and starts Slurm daemons)"
[ -f "$SCENARIO" ] || die "no scenario $SCENARIO"
case "$TEST_WORK" in /?*/?*) ;; *) die "TEST_WORK must be an absolute folder at least two levels deep (it is wiped)" ;; esac
if [ "$mode" = full ]; then
  [ -x "$KASKADA" ] || die "no kaskada binary at $KASKADA (build it: swift build -c release)"
  if ! "$KASKADA" help run 2>&1 | grep -q -- '--shard'; then
    die "$KASKADA has no 'run --shard' yet; use --selftest to test the cluster part"
  fi
  KASKADA="$(realpath "$KASKADA")"
fi

t_begin="$(now)"
t_install=0; t_cluster=0; t_jobs=0; t_compare=0
array_id=""; merge_id=""

# ---------------------------------------------------------------- daemons
# Stop a process by pid (TERM, then KILL after 10 s), only if its command name matches.
stop_pid() {  # name pid
  local name="$1" pid="$2" _
  [ -n "$pid" ] || return 0
  [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = "$name" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "$name ($pid) ignored SIGTERM; killing"
  kill -KILL "$pid" 2>/dev/null || true
}

# Stop the daemons recorded in $state (this run's, or stale ones from a killed earlier run).
stop_ours() {
  local d
  for d in slurmd slurmctld munged; do
    if [ -f "$state/$d.pid" ]; then
      log "stopping $d (pid $(cat "$state/$d.pid"))"
      stop_pid "$d" "$(cat "$state/$d.pid")"
      rm -f "$state/$d.pid"
    fi
  done
}

cleanup() {
  local rc=$?
  set +e
  if [ -n "$array_id$merge_id" ] && command -v squeue >/dev/null \
     && [ -n "$(squeue -h -j "${array_id:-0},${merge_id:-0}" -o %i 2>/dev/null)" ]; then
    log "cancelling jobs still queued: $array_id $merge_id"
    scancel "$array_id" "$merge_id" 2>/dev/null
  fi
  [ -n "${policy_rcd_created:-}" ] && rm -f /usr/sbin/policy-rc.d
  if [ "$KEEP_CLUSTER" = 1 ]; then
    log "KEEP_CLUSTER=1: leaving daemons running (pids in $state)"
  else
    stop_ours
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- install
t0="$(now)"
missing=0
for c in slurmctld slurmd sbatch squeue sinfo scontrol scancel munged munge unmunge; do
  command -v "$c" >/dev/null 2>&1 || missing=1
done
if [ "$missing" = 1 ]; then
  log "installing slurm-wlm and munge with apt-get"
  # Keep the packages' postinst from trying to start services (no systemd/init here).
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    policy_rcd_created=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurm-wlm munge > /tmp/kaskada-slurm-apt.log 2>&1 \
    || { tail -20 /tmp/kaskada-slurm-apt.log >&2; die "apt-get install failed (log: /tmp/kaskada-slurm-apt.log)"; }
  if [ -n "${policy_rcd_created:-}" ]; then rm -f /usr/sbin/policy-rc.d; policy_rcd_created=; fi
fi
t_install="$(secs "$t0" "$(now)")"
log "$(slurmd -V) present (install step ${t_install} s)"

# ---------------------------------------------------------------- cluster start
t0="$(now)"
install -d -m 0755 "$state"
stop_ours   # stale daemons of an earlier run that did not get to clean up

# munge: key, runtime dirs, daemon (as the munge user, like the packaged unit).
key=/etc/munge/munge.key
if [ ! -s "$key" ]; then
  log "creating munge key $key"
  install -d -o munge -g munge -m 0700 /etc/munge
  if command -v mungekey >/dev/null; then
    mungekey --create --keyfile="$key" --force
  else
    dd if=/dev/urandom of="$key" bs=1024 count=1 status=none
  fi
  chown munge:munge "$key"; chmod 0400 "$key"
fi
munge_ok() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }
if munge_ok; then
  log "munged already running (not started here, left alone)"
else
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
  rm -f /run/munge/munge.socket.2 /run/munge/munge.socket.2.lock /run/munge/munged.pid
  if ! err="$(runuser -u munge -- /usr/sbin/munged 2>&1)"; then
    log "munged as the munge user failed ($err); trying as root with --force"
    /usr/sbin/munged --force
  fi
  for _ in $(seq 1 50); do munge_ok && break; sleep 0.1; done
  munge_ok || die "munged does not answer"
  cp /run/munge/munged.pid "$state/munged.pid"
fi

# A Slurm daemon that this script did not start would clash on ports 6817/6818.
for d in slurmctld slurmd; do
  if [ -f "/run/$d.pid" ] && [ "$(cat "/proc/$(cat "/run/$d.pid")/comm" 2>/dev/null || true)" = "$d" ]; then
    die "$d (pid $(cat "/run/$d.pid")) is running but was not started by this script; stop it first"
  fi
done

# slurm.conf for one node with all its CPUs and 90% of its memory.
if [ -f "$conf" ] && ! grep -qF "$marker" "$conf"; then
  [ "$FORCE" = 1 ] || die "$conf exists and was not written by this script (FORCE=1 backs it up and replaces it)"
  cp "$conf" "$conf.kaskada-backup.$(date +%s)"
fi
cpus="$(nproc)"
mem_mb="$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)"
write_conf() {  # select plugin
  install -d -m 0755 /etc/slurm
  cat > "$conf" <<EOF
$marker: a throwaway single-node test cluster.
ClusterName=kaskada-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$logdir/slurmctld.log
SlurmdLogFile=$logdir/slurmd.log
# No cgroups: plain process tracking, no task binding, no accounting.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MailProg=/bin/true
MpiDefault=none
SchedulerType=sched/backfill
SelectType=$1
$( [ "$1" = select/cons_tres ] && echo "SelectTypeParameters=CR_Core" )
ReturnToService=2
# Keep finished jobs visible to scontrol for 10 minutes (no accounting database).
MinJobAge=600
InactiveLimit=0
KillWait=10
Waittime=0
NodeName=$host CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

start_daemon() {  # name args...: run in the foreground mode (-D) in the background, record its pid
  local name="$1"; shift
  "$name" -D "$@" </dev/null >>"$logdir/$name.out" 2>&1 &
  echo $! > "$state/$name.pid"
}
alive() { kill -0 "$(cat "$state/$1.pid" 2>/dev/null || echo 0)" 2>/dev/null; }

install -d -m 0755 "$logdir"
ctld_up=0
for select in select/cons_tres select/linear; do
  write_conf "$select"
  rm -rf /var/spool/slurmctld /var/spool/slurmd     # fresh state: no jobs or nodes of earlier runs
  install -d -m 0755 /var/spool/slurmctld /var/spool/slurmd
  : > "$logdir/slurmctld.log"; : > "$logdir/slurmd.log"
  start_daemon slurmctld -c -i
  for _ in $(seq 1 100); do
    alive slurmctld || break
    scontrol ping 2>/dev/null | grep -q UP && { ctld_up=1; break; }
    sleep 0.2
  done
  [ "$ctld_up" = 1 ] && break
  log "slurmctld did not come up with $select; last log lines:"
  tail -5 "$logdir/slurmctld.log" "$logdir/slurmctld.out" >&2 || true
  stop_pid slurmctld "$(cat "$state/slurmctld.pid")"
done
[ "$ctld_up" = 1 ] || die "slurmctld does not start (logs in $logdir)"
log "slurmctld up ($select, pid $(cat "$state/slurmctld.pid"))"

start_daemon slurmd
node_state=""
for i in $(seq 1 150); do
  alive slurmd || { tail -20 "$logdir/slurmd.log" "$logdir/slurmd.out" >&2; die "slurmd exited"; }
  node_state="$(sinfo -h -n "$host" -o %t 2>/dev/null || true)"
  [ "$node_state" = idle ] && break
  # A node left down/drained by an earlier run: put it back in service.
  case "$node_state" in down*|drain*|drng*) [ $((i % 25)) = 0 ] && scontrol update nodename="$host" state=resume 2>/dev/null || true ;; esac
  sleep 0.2
done
[ "$node_state" = idle ] || { tail -20 "$logdir/slurmd.log" >&2; die "node $host is '$node_state', not idle"; }
t_cluster="$(secs "$t0" "$(now)")"
log "cluster up: node $host idle, $cpus CPUs, ${mem_mb} MB (${t_cluster} s)"
sinfo

# ---------------------------------------------------------------- test data
rm -rf "$TEST_WORK"
mkdir -p "$TEST_WORK"
work="$TEST_WORK/slurm"

if [ "$mode" = selftest ]; then
  # Stand-in kaskada: "samples" are text lines; shard i/n takes an uneven contiguous block,
  # merge checks the shards match and are complete, then concatenates them in shard order.
  KASKADA="$TEST_WORK/fake-kaskada"
  cat > "$KASKADA" <<'EOF'
#!/bin/bash
set -euo pipefail
cmd="$1"; shift
write_result() {  # dir inputs: the files a complete run writes
  printf '%s\n' "$2" > "$1/summary.txt"
  mkdir -p "$1/briefs"; echo "brief for $2" > "$1/briefs/owner.md"
  echo "host $(hostname) pid $$ time $(date +%s%N) threads ${threads:-?}" > "$1/run.log"
}
case "$cmd" in
run)
  scenario="$1"; shift; shard=1/1; sharded=0; out=""; samples=100; seed=42; threads=""
  while [ "$#" -gt 0 ]; do
    case "$1" in
      --shard) shard="$2"; sharded=1; shift 2 ;;
      --out) out="$2"; shift 2 ;;
      --samples) samples="$2"; shift 2 ;;
      --seed) seed="$2"; shift 2 ;;
      --threads) threads="$2"; shift 2 ;;
      *) shift ;;
    esac
  done
  i="${shard%/*}"; n="${shard#*/}"
  inputs="scenario $(sha256sum < "$scenario" | cut -c1-16) samples $samples seed $seed"
  tmp="$out.tmp.$$"; rm -rf "$tmp"; mkdir -p "$tmp"
  for k in $(seq $(( (i - 1) * samples / n + 1 )) $(( i * samples / n ))); do
    echo "sample $k value $(( (k * 2654435761 + seed) % 1000003 ))"
  done > "$tmp/samples.txt"
  if [ "$sharded" = 1 ]; then
    echo "$i $n $inputs" > "$tmp/shard.meta"
    echo "host $(hostname) threads $threads" > "$tmp/run.log"
  else
    write_result "$tmp" "$inputs"
  fi
  rm -rf "$out"; mv "$tmp" "$out" ;;
merge)
  dirs=(); out=""
  while [ "$#" -gt 0 ]; do
    case "$1" in --out) out="$2"; shift 2 ;; *) dirs+=("$1"); shift ;; esac
  done
  n=""; inputs=""; declare -A seen=()
  for d in "${dirs[@]}"; do
    read -r i dn din < "$d/shard.meta"
    [ -z "$n" ] && { n="$dn"; inputs="$din"; }
    [ "$dn" = "$n" ] && [ "$din" = "$inputs" ] || { echo "merge: shards of different inputs" >&2; exit 2; }
    seen[$i]="$d"
  done
  for i in $(seq 1 "$n"); do [ -n "${seen[$i]:-}" ] || { echo "merge: missing shard $i/$n" >&2; exit 2; }; done
  tmp="$out.tmp.$$"; rm -rf "$tmp"; mkdir -p "$tmp"
  for i in $(seq 1 "$n"); do cat "${seen[$i]}/samples.txt"; done > "$tmp/samples.txt"
  write_result "$tmp" "$inputs"
  rm -rf "$out"; mv "$tmp" "$out" ;;
*) echo "fake-kaskada: unknown command $cmd" >&2; exit 2 ;;
esac
EOF
  chmod +x "$KASKADA"
fi

# ---------------------------------------------------------------- submit and wait
t0="$(now)"
log "submitting $SHARDS shards of $SCENARIO ($mode) with flags: ${flags[*]}"
read -r array_id merge_id < <(KASKADA="$KASKADA" CPUS_PER_TASK="$CPUS_PER_TASK" KASKADA_FLAGS="" \
  "$here/submit.sh" "$SCENARIO" "$SHARDS" "$work" "${flags[@]}")
[ -n "$merge_id" ] || die "submit.sh did not print two job ids"
log "array job $array_id, merge job $merge_id"

deadline=$(( $(date +%s) + TIMEOUT ))
last=""
while :; do
  q="$(squeue -h -r -j "$array_id,$merge_id" -o '%T' 2>/dev/null | sort | uniq -c | awk '{printf "%s %s, ", $1, tolower($2)}')"
  [ -z "$q" ] && break
  if [ "$q" != "$last" ]; then log "queue: ${q%, }"; fi
  last="$q"
  [ "$(date +%s)" -lt "$deadline" ] || { log "FAIL: timeout after ${TIMEOUT} s"; squeue; exit 1; }
  sleep 1
done
t_jobs="$(secs "$t0" "$(now)")"

merge_state="$(scontrol show job "$merge_id" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 || true)"
merge_rc="$(cat "$work/status/merge.rc" 2>/dev/null || echo none)"
log "jobs finished in ${t_jobs} s: merge job $merge_id ${merge_state:-?}, merge exit status $merge_rc"
for f in "$work"/status/shard-*.rc; do
  if [ -f "$f" ] && [ "$(cat "$f")" != 0 ]; then log "$(basename "$f" .rc) exit status $(cat "$f")"; fi
done
if [ "$merge_rc" != 0 ]; then
  log "logs:"; tail -n 20 "$work"/logs/* >&2 || true
  log "FAIL: merge did not succeed"
  exit 1
fi

# ---------------------------------------------------------------- compare with one unsharded run
t0="$(now)"
single="$TEST_WORK/single"
"$KASKADA" run "$SCENARIO" "${flags[@]}" --out "$single"
result="$work/result"
list() { (cd "$1" && find . -type f ! -path ./run.log | sed "s|^\./||" | LC_ALL=C sort); }
fail=0
if ! diff <(list "$single") <(list "$result") > "$TEST_WORK/filelist.diff"; then
  log "file lists differ (< single run, > merged):"; cat "$TEST_WORK/filelist.diff"
  fail=1
fi
compared=0
while IFS= read -r f; do
  [ -f "$result/$f" ] || continue
  compared=$((compared + 1))
  cmp "$single/$f" "$result/$f" || fail=1
done < <(list "$single")
[ "$compared" -gt 0 ] || { log "no files to compare"; fail=1; }
t_compare="$(secs "$t0" "$(now)")"

log "timings: install ${t_install} s, cluster start ${t_cluster} s, jobs ${t_jobs} s, compare ${t_compare} s (incl. single run), total $(secs "$t_begin" "$(now)") s"
if [ "$fail" = 0 ]; then
  log "PASS ($mode): merged result of $SHARDS shards == single run ($compared files, run.log excluded)"
else
  log "FAIL ($mode): merged result differs from the single run"
  exit 1
fi
