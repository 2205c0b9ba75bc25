#!/usr/bin/env python3
"""Offline checks of the Kubernetes manifests (no cluster needed).

Parses every *.yaml here, checks that the shard Job is Indexed with completions == SHARDS,
that all pods mount the same ReadWriteMany claim, and runs the pods' shell snippets with
/bin/sh against a stand-in `kaskada` (with /data mapped to a temporary folder) to check the
shard numbering (JOB_COMPLETION_INDEX 0..N-1 -> --shard 1/N..N/N) and the merge's arguments.
Needs PyYAML (apt-get install python3-yaml, or pip install pyyaml). Exits non-zero on a problem.
"""
import glob
import os
import subprocess
import sys
import tempfile

import yaml

here = os.path.dirname(os.path.abspath(__file__))
docs = {}
for path in sorted(glob.glob(os.path.join(here, "*.yaml"))):
    with open(path) as f:
        for doc in yaml.safe_load_all(f):
            if doc:
                docs[(doc["kind"], doc["metadata"]["name"])] = doc
                print(f"parsed {os.path.basename(path)}: {doc['kind']} {doc['metadata']['name']}")

problems = []


def check(cond, msg):
    if not cond:
        problems.append(msg)


pvc = docs[("PersistentVolumeClaim", "kaskada-data")]
check(pvc["spec"]["accessModes"] == ["ReadWriteMany"], "PVC must be ReadWriteMany")

shard = docs[("Job", "kaskada-shards")]
merge = docs[("Job", "kaskada-merge")]
spec = shard["spec"]
check(spec.get("completionMode") == "Indexed", "shard Job must be completionMode: Indexed")
n = spec["completions"]
check(1 <= spec["parallelism"] <= n, "parallelism must be 1..completions")
container = spec["template"]["spec"]["containers"][0]
env = {e["name"]: e.get("value") for e in container["env"]}
check(env.get("SHARDS") == str(n), f"SHARDS ({env.get('SHARDS')}) must equal completions ({n})")
for (kind, name), doc in docs.items():
    if kind not in ("Pod", "Job"):
        continue
    podspec = doc["spec"] if kind == "Pod" else doc["spec"]["template"]["spec"]
    claims = [v["persistentVolumeClaim"]["claimName"] for v in podspec["volumes"] if "persistentVolumeClaim" in v]
    check(claims == ["kaskada-data"], f"{name} must mount claim kaskada-data")

# Run the snippets against a stand-in kaskada that logs its arguments and makes --out.
with tempfile.TemporaryDirectory() as tmp:
    data = os.path.join(tmp, "data")
    bindir = os.path.join(tmp, "bin")
    os.makedirs(bindir)
    calls = os.path.join(tmp, "calls")
    fake = os.path.join(bindir, "kaskada")
    with open(fake, "w") as f:
        f.write('#!/bin/sh\necho "$@" >> "%s"\nfor a; do [ "$prev" = --out ] && mkdir -p "$a"; prev="$a"; done\n' % calls)
    os.chmod(fake, 0o755)
    base_env = dict(os.environ, PATH=bindir + ":" + os.environ["PATH"])
    shard_sh = container["args"][0].replace("/data", data)
    for k in range(n):
        e = dict(base_env, JOB_COMPLETION_INDEX=str(k), THREADS="2", **{x: v for x, v in env.items() if v is not None})
        subprocess.run(["/bin/sh", "-c", shard_sh], env=e, check=True)
    merge_sh = merge["spec"]["template"]["spec"]["containers"][0]["args"][0].replace("/data", data)
    subprocess.run(["/bin/sh", "-c", merge_sh], env=base_env, check=True)
    lines = open(calls).read().splitlines()
    for k in range(n):
        i = k + 1
        want = f"run {data}/scenarios/{env['SCENARIO']} --shard {i}/{n} --threads 2"
        check(lines[k].startswith(want) and lines[k].endswith(f"--out {data}/work/shards/{i}"),
              f"index {k}: got '{lines[k]}'")
    merged = lines[n].split()
    check(merged[0] == "merge" and merged[-2:] == ["--out", f"{data}/work/result"], f"merge: got '{lines[n]}'")
    check(sorted(merged[1:-2]) == sorted(f"{data}/work/shards/{i}" for i in range(1, n + 1)),
          f"merge must get all {n} shard folders, got {merged[1:-2]}")
    print(f"shard commands: {lines[0]!r} ... {lines[n - 1]!r}")
    print(f"merge command: {lines[n]!r}")

if problems:
    for p in problems:
        print("FAIL:", p)
    sys.exit(1)
print(f"OK: {len(docs)} manifests, Indexed Job of {n} shards + merge (untested against a live cluster)")
