#!/usr/bin/env bash
# Fault tests of `kaskada run` (and batch, merge, report) against the promises of docs/specification.md
# sections 7-8 and docs/outputs.md: "an existing result is replaced atomically", "a failed run
# leaves nothing", a killed run resumes from its checkpoint with the bytes of an uninterrupted run,
# exit 1 when the run cannot finish for an I/O error.
#
# 1. kill -9 at random moments, in every phase of a run (samples, rankings, options, writing the
#    result), of scenarios/riverside-flood-100y.yaml over a PREVIOUS result of another seed; at
#    each kill the folder at --out must be absent, the complete previous result or the complete
#    new one (file digests against manifest.json, no file missing or extra, and byte equality
#    with saved copies); then the same command again must give the uninterrupted run's bytes
#    (every file but run.log, which holds times) and leave nothing beside the result (no
#    checkpoint, no staging folder). The phase of each kill is read from the progress lines the
#    run prints on standard error (and the checkpoint / staging folders it left) and the script
#    fails unless every phase was hit at least once (writing: with the staging folder on disk).
# 2. Full disk: a small tmpfs holding a previous result, with room for half another; a run that
#    does not fit must exit 1 naming the folder and saying the disk is full, keep the previous
#    result (same digests and bytes) and leave no staging folder (the disk's usage as before);
#    the same for `kaskada merge` and `kaskada batch`; a run with checkpoint blocks leaves only
#    its checkpoint, from which the same command resumes once there is room; a run into an
#    empty 1 MB tmpfs leaves nothing at all.
# 3. Read-only output (a tmpfs remounted ro; root ignores permissions): run, batch, merge and
#    report must exit 1 (docs/specification.md section 7: the run started but could not finish, an I/O
#    error; not 2, the input is fine) with a message naming the folder, and not crash.
#
# usage: scripts/fault-tests.sh KASKADA_BINARY
# environment:
#   FAULT_SEED     seed of the kill moments (printed; set it to replay a failure), default 20261205
#   FAULT_KILLS    planned kills, default 15, aimed in turn at the samples, rankings, options and
#                  writing phases and at any moment of the run: the phase's start (the first
#                  checkpoint block on disk, or the previous phase's last progress line) plus a
#                  random delay within the phase's length in an uninterrupted reference run; up to
#                  FAULT_EXTRA_KILLS (default 16) more aim at phases not hit yet
#   FAULT_SAMPLES  --samples of the killed runs, default 200 (about 3-4 s a run on 2 cores)
#   FAULT_WORK     work folder, default /tmp/kaskada-fault-tests (kept when a check fails)
#   CI=true        mounting tmpfs must work (root); elsewhere checks 2-3 are skipped, loudly
# Exit 0 when every check passed, 1 when one failed (the first failure stops the script).
set -euo pipefail

bin=${1:-}
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "usage: scripts/fault-tests.sh KASKADA_BINARY (an executable kaskada, e.g. .build/release/kaskada)" >&2
  exit 1
fi
bin=$(realpath "$bin")
cd "$(dirname "$0")/.."
seed=${FAULT_SEED:-20261205}
planned=${FAULT_KILLS:-15}
extra_max=${FAULT_EXTRA_KILLS:-16}
samples=${FAULT_SAMPLES:-200}
work=${FAULT_WORK:-/tmp/kaskada-fault-tests}
scenario=scenarios/riverside-flood-100y.yaml
name=riverside-flood-100y
# small checkpoint blocks (the hidden --checkpoint-samples flag), so that the short samples phase
# writes several checkpoints and a kill there leaves a partial one to resume from
cps=32
RANDOM=$seed
started=$EPOCHREALTIME
echo "fault-tests: FAULT_SEED=$seed FAULT_KILLS=$planned FAULT_SAMPLES=$samples (FAULT_SEED=$seed replays the same kill moments)"
echo "fault-tests: $bin, work folder $work"

pid=""
mounts=()
cleanup() {
  if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
  local m
  for m in "${mounts[@]}"; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "fault-tests: could not unmount $m" >&2
  done
}
trap cleanup EXIT

fail() {
  echo "fault-tests: FAILED: $*" >&2
  echo "fault-tests: replay with FAULT_SEED=$seed; files kept in $work" >&2
  exit 1
}
say() { echo "fault-tests: $*"; }
elapsed() { awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }'; }

rm -rf "$work"
mkdir -p "$work/out"
out=$work/out/$name          # the --out folder of every killed run
prev=$work/prev              # saved copy of the previous result (seed 2)
ref=$work/ref                # saved copy of the uninterrupted new result (seed 1)
ckpt=$work/out/.$name.checkpoint
cmd=("$bin" run "$scenario" --samples "$samples" --seed 1 --checkpoint-samples "$cps" --out "$out")

# verify_folder DIR: every file manifest.json lists is there with its SHA-256, no other file but
# manifest.json and run.log, run.log present (a torn or half-written folder fails this).
# Prints the problems and returns 1.
verify_folder() {
  python3 - "$1" <<'EOF'
import hashlib, json, os, sys
d = sys.argv[1]
try:
    files = json.load(open(os.path.join(d, "manifest.json")))["files"]
except Exception as e:
    print(f"manifest.json unreadable: {e}"); sys.exit(1)
present = {os.path.relpath(os.path.join(r, f), d) for r, _, fs in os.walk(d) for f in fs}
problems = []
for n, entry in sorted(files.items()):
    p = os.path.join(d, n)
    if not os.path.isfile(p):
        problems.append(f"{n} is in manifest.json but missing")
    elif hashlib.sha256(open(p, "rb").read()).hexdigest() != entry["sha256"]:
        problems.append(f"{n} does not have the SHA-256 manifest.json lists")
extra = present - set(files) - {"manifest.json", "run.log"}
if extra: problems.append("files not in manifest.json: " + ", ".join(sorted(extra)))
if "run.log" not in present: problems.append("run.log missing")
if problems: print("; ".join(problems)); sys.exit(1)
EOF
}

# state_of DIR: absent | previous | new | BROKEN (…): what a reader of --out finds.
state_of() {
  local d=$1 why
  if [ ! -e "$d" ]; then echo absent; return; fi
  if ! why=$(verify_folder "$d"); then echo "BROKEN ($why)"; return; fi
  if diff -rq --exclude=run.log "$d" "$prev" >/dev/null 2>&1; then echo previous
  elif diff -rq --exclude=run.log "$d" "$ref" >/dev/null 2>&1; then echo new
  else echo "BROKEN (complete by its manifest, but neither the previous nor the new result byte for byte)"; fi
}

# leftovers DIR NAME: entries of DIR other than NAME (staging folders, checkpoints, temporaries).
leftovers() { (cd "$1" && ls -A | grep -vxF "$2" || true) | paste -sd' ' -; }

restore_previous() { rm -rf "$out" "$ckpt"; cp -a "$prev" "$out"; }

# ---------------------------------------------------------------------------------------------
say "== setup: the previous result (seed 2) and the uninterrupted new one (seed 1), timed"
"$bin" run "$scenario" --samples "$samples" --seed 2 --checkpoint-samples "$cps" --out "$prev" --quiet \
  || fail "the run of the previous result (seed 2) exited $?"
verify_folder "$prev" >/dev/null || fail "the previous result is not complete by its manifest: $(verify_folder "$prev")"
restore_previous
# every stderr line with the seconds since the start (progress lines are plain lines: no terminal)
t0=$EPOCHREALTIME
"${cmd[@]}" 2>&1 >/dev/null | while IFS= read -r line; do
  printf '%s\t%s\n' "$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')" "$line"
done >"$work/reference.stderr"
[ "$(state_of "$out")" = previous ] && fail "the reference run did not replace the previous result"
verify_folder "$out" >/dev/null || fail "the reference result is not complete: $(verify_folder "$out")"
cp -a "$out" "$ref"
[ -z "$(leftovers "$work/out" "$name")" ] || fail "the uninterrupted run left $(leftovers "$work/out" "$name") beside its result"
grep -q "^phases " "$ref/run.log" || fail "run.log has no phases line"
[ "$(state_of "$out")" = new ] || fail "state_of does not recognise the reference result"

# the phases' windows (seconds after the start) from the time-stamped progress lines; the
# samples phase prints no line when it starts, so its start is its end minus run.log's seconds
at() { awk -F'\t' -v re="$1" '$2 ~ re { print $1; exit }' "$work/reference.stderr"; }
s_end=$(at ": samples [0-9]+/[0-9]+ samples \\(100%\\)")
r_end=$(at ": coordination [0-9]+/[0-9]+ \\(100%\\)")
o_end=$(at ": portfolio [0-9]+/[0-9]+ \\(100%\\)")
w_end=$(at ": write [0-9]+/[0-9]+ \\(100%\\)")
s_len=$(sed -n 's/^phases .*samples \([0-9.]*\) s.*/\1/p' "$ref/run.log")
for v in s_end r_end o_end w_end s_len; do [ -n "${!v}" ] || fail "no $v in the reference run's progress lines or run.log (see $work/reference.stderr)"; done
# what a kill aims at: the moment the phase starts (an event seen on disk or in the progress
# lines of the killed run) plus a random delay within the phase's length in the reference run
len() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
declare -A kind what length
kind[samples]=file; what[samples]=$ckpt/block.bin;                                 length[samples]=$s_len
kind[rankings]=line; what[rankings]=": samples [0-9]+/[0-9]+ samples \(100%\)"; length[rankings]=$(len "$s_end" "$r_end")
kind[options]=line; what[options]=": coordination [0-9]+/[0-9]+ \(100%\)";     length[options]=$(len "$r_end" "$o_end")
kind[write]=line; what[write]=": portfolio [0-9]+/[0-9]+ \(100%\)";            length[write]=$(len "$o_end" "$w_end")
kind[anywhere]=start; what[anywhere]="";                                           length[anywhere]=$w_end
say "reference run: samples ${length[samples]} s (ending at $s_end s), rankings ${length[rankings]} s, options ${length[options]} s, write ${length[write]} s"

# ---------------------------------------------------------------------------------------------
# the phase a killed run was in, from the last progress line it printed (a phase prints a line
# when it ends and every 5 s) and what it left on disk
phase_of() {
  local err=$1 last ph done total
  last=$(grep -oE "^$name: (samples|n1|rrw|coordination|mitigations|portfolio|write) [0-9]+/[0-9]+" "$err" | tail -1 || true)
  if [ -z "$last" ]; then
    # no line yet: loading and compiling, or the samples phase once a checkpoint block exists
    if [ -f "$ckpt/block.bin" ]; then echo samples; else echo start; fi
    return
  fi
  read -r ph done total <<<"$(sed -E 's/^[^:]*: ([a-z0-9]+) ([0-9]+)\/([0-9]+)$/\1 \2 \3/' <<<"$last")"
  local ended=0; [ "$done" -ge "$total" ] && ended=1
  case $ph in
    samples) [ $ended = 1 ] && echo rankings || echo samples ;;
    n1|rrw) echo rankings ;;
    coordination) [ $ended = 1 ] && echo options || echo rankings ;;
    mitigations) echo options ;;   # then the portfolio search (the scenario has a budget)
    portfolio) [ $ended = 1 ] && echo write || echo options ;;
    write) [ $ended = 1 ] && echo after-write || echo write ;;
  esac
}

# wait_for file PATH | line REGEX | start: returns 0 once the killed run created PATH or printed a
# line matching REGEX on stderr, 1 when it ended first (polled every 5 ms)
running() { local st; read -r _ _ st _ <"/proc/$pid/stat" 2>/dev/null && [ "$st" != Z ]; }
wait_for() {
  [ "$1" = start ] && return 0
  while running; do
    if [ "$1" = file ]; then [ -f "$2" ] && return 0
    else grep -qE "$2" "$work/kill.stderr" && return 0; fi
    sleep 0.005
  done
  return 1
}

say "== 1. kill -9 at random moments: $planned planned kills, then up to $extra_max more for phases not hit"
phases=(samples rankings options write)
targets=(samples rankings options write anywhere)
declare -A hits=([start]=0 [samples]=0 [rankings]=0 [options]=0 [write]=0 [after-write]=0)
declare -A states=([absent]=0 [previous]=0 [new]=0)
staged=0 finished=0 resumed=0 attempt=0 extra=0
while :; do
  # the target phase: round robin for the planned kills, then the phases still missing
  if [ $attempt -lt "$planned" ]; then
    target=${targets[$((attempt % 5))]}
  else
    target=""
    for p in "${phases[@]}"; do
      if [ "${hits[$p]}" = 0 ] || { [ $p = write ] && [ $staged = 0 ]; }; then target=$p; break; fi
    done
    [ -n "$target" ] || break
    extra=$((extra + 1))
    if [ $extra -gt "$extra_max" ]; then
      fail "after $attempt kills some phase was never hit (hits: samples ${hits[samples]}, rankings ${hits[rankings]}, options ${hits[options]}, write ${hits[write]} of which $staged with the staging folder on disk): the run's phases or progress lines changed, or this machine is too slow or too busy"
    fi
  fi
  attempt=$((attempt + 1))
  t=$(awk -v l="${length[$target]}" -v r=$((RANDOM % 1000)) 'BEGIN { printf "%.3f", 0.9 * l * r / 1000 }')
  restore_previous
  "${cmd[@]}" >"$work/kill.stdout" 2>"$work/kill.stderr" &
  pid=$!
  wait_for "${kind[$target]}" "${what[$target]}" && sleep "$t"
  kill -9 "$pid" 2>/dev/null || true
  rc=0; { wait "$pid"; } 2>/dev/null || rc=$?    # (no "Killed" line from bash)
  pid=""
  if [ $rc = 0 ]; then
    # finished before the kill: not a kill, but the result must be the new one
    finished=$((finished + 1))
    [ "$(state_of "$out")" = new ] || fail "a run that finished (kill $attempt came too late) left $(state_of "$out")"
    [ -z "$(leftovers "$work/out" "$name")" ] || fail "a run that finished left $(leftovers "$work/out" "$name") beside its result"
    say "kill $attempt: aimed at $target + ${t} s: the run had finished already"
    continue
  fi
  [ $rc = 137 ] || fail "kill $attempt: the run exited $rc before the kill (stderr: $(tail -3 "$work/kill.stderr"))"
  phase=$(phase_of "$work/kill.stderr")
  stage=""
  if compgen -G "$work/out/.$name.tmp-*" >/dev/null; then stage=" (staging folder on disk)"; fi
  hits[$phase]=$(( ${hits[$phase]} + 1 ))
  if [ $phase = write ] && [ -n "$stage" ]; then staged=$((staged + 1)); fi

  # the guard: at the kill, --out is absent, the previous result or the new one, whole
  state=$(state_of "$out")
  case $state in
    absent|previous|new) states[$state]=$(( ${states[$state]} + 1 )) ;;
    *) fail "kill $attempt (in $phase, $t s): the folder at --out is $state" ;;
  esac
  left=$(leftovers "$work/out" "$name")
  say "kill $attempt: aimed at $target + ${t} s: landed in $phase$stage; --out holds the $state result${left:+; beside it: $left}"

  # the guard: the same command again finishes with the uninterrupted run's bytes, resuming
  # from the checkpoint when one was left, and leaves nothing beside the result
  had_ckpt=0; [ -f "$ckpt/block.bin" ] && had_ckpt=1
  "${cmd[@]}" >"$work/rerun.stdout" 2>"$work/rerun.stderr" \
    || fail "kill $attempt: the rerun exited $? ($(tail -3 "$work/rerun.stderr"))"
  if grep -q "not used" "$work/rerun.stderr"; then
    fail "kill $attempt: the rerun did not use the checkpoint of the same inputs: $(grep "not used" "$work/rerun.stderr")"
  fi
  if [ "$state" = new ]; then
    grep -q "up to date" "$work/rerun.stderr" || fail "kill $attempt: the new result was in place, yet the rerun recomputed it"
  elif [ $had_ckpt = 1 ]; then
    grep -q "resuming from a checkpoint" "$work/rerun.stderr" || fail "kill $attempt: the rerun did not resume from the checkpoint left by the kill"
    resumed=$((resumed + 1))
  fi
  after=$(state_of "$out")
  [ "$after" = new ] || fail "kill $attempt (in $phase): after the rerun --out is $after, not the uninterrupted run's result"
  left=$(leftovers "$work/out" "$name")
  [ -z "$left" ] || fail "kill $attempt (in $phase): after the rerun, beside the result: $left"
done
say "kills per phase: samples ${hits[samples]}, rankings ${hits[rankings]}, options ${hits[options]}, write ${hits[write]} ($staged with the staging folder on disk), load/compile ${hits[start]}, after the swap ${hits[after-write]}; runs that finished before the kill: $finished"
say "at the kills --out held: the previous result ${states[previous]}, the new one ${states[new]}, nothing ${states[absent]}; $resumed reruns resumed from a checkpoint; every rerun gave the uninterrupted bytes ($(elapsed) s so far)"

# ---------------------------------------------------------------------------------------------
# tmpfs mounts for checks 2 and 3 (root only; CI runs as root and must run them)
mount_tmpfs() {   # mount_tmpfs DIR SIZE
  mkdir -p "$1"
  if mount -t tmpfs -o "size=$2" tmpfs "$1" 2>"$work/mount.err"; then mounts+=("$1"); return 0; fi
  return 1
}
if ! mount_tmpfs "$work/full" 1m; then
  if [ "${CI:-}" = true ]; then
    fail "cannot mount a tmpfs ($(cat "$work/mount.err")): CI must run the full-disk and read-only checks (run as root)"
  fi
  echo "fault-tests: SKIPPED checks 2 (full disk) and 3 (read-only output): cannot mount a tmpfs ($(cat "$work/mount.err")); run as root" >&2
  say "passed check 1 only, in $(elapsed) s (checks 2 and 3 SKIPPED)"
  rm -rf "$work"
  exit 0
fi
umount "$work/full"; mounts=()

# expect_io_error WHAT DIR RC STDERR_FILE: exit 1 (not 2, not a crash) and a message naming DIR
expect_io_error() {
  local what=$1 dir=$2 rc=$3 err=$4
  [ "$rc" = 1 ] || fail "$what: exit $rc, expected 1 (the run started but could not write; stderr: $(tail -3 "$err"))"
  grep -qF "$dir" "$err" || fail "$what: the error does not name the folder $dir: $(tail -3 "$err")"
  say "ok $what: exit 1, \"$(grep -F "$dir" "$err" | tail -1)\""
}

say "== 2. full disk"
# shards for merge (computed on the normal disk)
"$bin" run "$scenario" --samples 40 --seed 1 --shard 1/2 --out "$work/shard1" --quiet
"$bin" run "$scenario" --samples 40 --seed 1 --shard 2/2 --out "$work/shard2" --quiet
# room for the previous result and half of another: the new result cannot be staged beside it
kb=$(du -sk "$prev" | cut -f1)
full=$work/full
mount_tmpfs "$full" "$((kb * 3 / 2))k" || fail "cannot mount the full-disk tmpfs: $(cat "$work/mount.err")"
cp -a "$prev" "$full/$name"
used_before=$(df -k --output=used "$full" | tail -1)
rc=0; "$bin" run "$scenario" --samples 40 --seed 1 --out "$full/$name" --quiet 2>"$work/full.err" || rc=$?
expect_io_error "run into a full disk" "$full/$name" $rc "$work/full.err"
grep -qiE "space|ENOSPC" "$work/full.err" || fail "run into a full disk: the message does not say the disk is full: $(cat "$work/full.err")"
[ "$(state_of "$full/$name")" = previous ] || fail "run into a full disk: the previous result is now $(state_of "$full/$name")"
[ -z "$(leftovers "$full" "$name")" ] || fail "run into a full disk left $(leftovers "$full" "$name")"
[ "$(df -k --output=used "$full" | tail -1)" = "$used_before" ] || fail "run into a full disk: the disk holds more than before ($(df -k --output=used "$full" | tail -1) KiB used, $used_before before)"
say "ok the previous result is intact (digests and bytes), nothing else is left, the disk's usage is as before"

rc=0; "$bin" merge "$work/shard1" "$work/shard2" --out "$full/$name" --quiet 2>"$work/full-merge.err" || rc=$?
expect_io_error "merge into a full disk" "$full/$name" $rc "$work/full-merge.err"
[ "$(state_of "$full/$name")" = previous ] || fail "merge into a full disk: the previous result is now $(state_of "$full/$name")"
[ -z "$(leftovers "$full" "$name")" ] || fail "merge into a full disk left $(leftovers "$full" "$name")"

rc=0; "$bin" batch "$scenario" --samples 40 --seed 1 --out "$full/batch" --quiet 2>"$work/full-batch.err" || rc=$?
expect_io_error "batch into a full disk" "$full/batch/$name" $rc "$work/full-batch.err"
[ ! -e "$full/batch/$name" ] || fail "batch into a full disk left $full/batch/$name"
[ -z "$(cd "$full/batch" && ls -A | grep -v '^batch\.' || true)" ] || fail "batch into a full disk left $(ls -A "$full/batch")"
[ "$(state_of "$full/$name")" = previous ] || fail "batch into a full disk: the previous result is now $(state_of "$full/$name")"

# with checkpoint blocks of 8 samples: the run that cannot write its result keeps its completed
# samples (the checkpoint, the only thing left beside the result, on purpose); once there is room
# (the previous result deleted) the same command resumes from them and leaves nothing
rm -rf "$full/batch"
full_cmd=("$bin" run "$scenario" --samples 40 --seed 1 --checkpoint-samples 8 --out "$full/$name")
rc=0; "${full_cmd[@]}" --quiet 2>"$work/full-ckpt.err" || rc=$?
expect_io_error "run with checkpoints into a full disk" "$full/$name" $rc "$work/full-ckpt.err"
[ "$(state_of "$full/$name")" = previous ] || fail "run with checkpoints into a full disk: the previous result is now $(state_of "$full/$name")"
left=$(leftovers "$full" "$name")
[ -z "$left" ] || [ "$left" = ".$name.checkpoint" ] || fail "run with checkpoints into a full disk left $left"
say "ok beside the previous result: ${left:-nothing} (the completed samples, for the rerun)"
rm -rf "${full:?}/$name"
rc=0; "${full_cmd[@]}" >/dev/null 2>"$work/full-rerun.err" || rc=$?
[ $rc = 0 ] || fail "the rerun with room on the disk exited $rc: $(tail -3 "$work/full-rerun.err")"
if [ -n "$left" ]; then grep -q "resuming from a checkpoint" "$work/full-rerun.err" || fail "the rerun with room did not resume from the checkpoint"; fi
verify_folder "$full/$name" >/dev/null || fail "the rerun with room wrote an incomplete result: $(verify_folder "$full/$name")"
[ -z "$(leftovers "$full" "$name")" ] || fail "the rerun with room left $(leftovers "$full" "$name")"
say "ok with room again, the same command resumed and wrote a complete result, nothing left beside it"
umount "$full"; mounts=()

# a 1 MB disk with nothing on it: the run fails and leaves nothing at all (no partial folder,
# no checkpoint: 40 samples are less than one checkpoint block)
mount_tmpfs "$full" 1m || fail "cannot mount the 1 MB tmpfs: $(cat "$work/mount.err")"
rc=0; "$bin" run "$scenario" --samples 40 --seed 1 --out "$full/new/$name" --quiet 2>"$work/tiny.err" || rc=$?
expect_io_error "run into a 1 MB disk" "$full/new/$name" $rc "$work/tiny.err"
[ ! -e "$full/new/$name" ] || fail "run into a 1 MB disk left a folder at --out"
[ -z "$(leftovers "$full/new" "$name")" ] || fail "run into a 1 MB disk left $(leftovers "$full/new" "$name")"
umount "$full"; mounts=()

say "== 3. read-only output folder (tmpfs remounted read-only)"
ro=$work/ro
mount_tmpfs "$ro" "$((kb * 2))k" || fail "cannot mount the read-only tmpfs: $(cat "$work/mount.err")"
cp -a "$prev" "$ro/$name"
mount -o remount,ro "$ro" || fail "cannot remount $ro read-only"
touch "$ro/probe" 2>/dev/null && fail "$ro is writable after remount,ro"
rc=0; "$bin" run "$scenario" --samples 40 --seed 1 --out "$ro/$name" --quiet 2>"$work/ro.err" || rc=$?
expect_io_error "run over a result on a read-only disk" "$ro/$name" $rc "$work/ro.err"
grep -qiE "read.only|EROFS" "$work/ro.err" || fail "run into a read-only folder: the message does not say it is read-only: $(cat "$work/ro.err")"
rc=0; "$bin" run "$scenario" --samples 40 --seed 1 --out "$ro/new/deeper" --quiet 2>"$work/ro-new.err" || rc=$?
expect_io_error "run into a new folder on a read-only disk" "$ro/new/deeper" $rc "$work/ro-new.err"
rc=0; "$bin" merge "$work/shard1" "$work/shard2" --out "$ro/merged" --quiet 2>"$work/ro-merge.err" || rc=$?
expect_io_error "merge into a read-only disk" "$ro/merged" $rc "$work/ro-merge.err"
rc=0; "$bin" batch "$scenario" --samples 40 --seed 1 --out "$ro/batch" --quiet 2>"$work/ro-batch.err" || rc=$?
expect_io_error "batch into a read-only disk" "$ro/batch" $rc "$work/ro-batch.err"
rc=0; "$bin" report "$ro/$name" --quiet 2>"$work/ro-report.err" || rc=$?
expect_io_error "report of a result on a read-only disk" "$ro/$name" $rc "$work/ro-report.err"
[ "$(state_of "$ro/$name")" = previous ] || fail "the result on the read-only disk changed"
umount "$ro"; mounts=()

say "passed all checks in $(elapsed) s"
rm -rf "$work"
