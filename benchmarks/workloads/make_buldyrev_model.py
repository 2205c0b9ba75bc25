#!/usr/bin/env python3
"""Writes the Buldyrev et al. 2010 workload as a Kaskada model folder and a scenario, for end-to-end runs.

Two interdependent Erdős–Rényi networks A and B of N assets each (mean degree k = 4), drawn with the
reference RNG of ../shared/reference/README.md section 0 (splitmix64 counter streams, seeds 0x1000 and
0x2000): exactly the graphs of `kaskada-bench cascade` and the C reference. Asset a_i needs b_i and b_i
needs a_i (two dependency rows per pair); both sectors use `supply: giant-component`. Ids are zero-padded
(a0000123), so id order is index order, the reference's tie rule.

Unlike the reference model in scenarios/reference/models/buldyrev-k4, this one carries what a regional
model has and what the reports read: owners (`--owners` per network), zones (`--zones`), coordinates
(lat/lon in a box around 48.5 N, 7.9 E) and a population of 1 per asset. The scenario puts each A asset
out with probability 1 - p (p = 0.65 by default: the random attack of the workload, drawn by Kaskada's
own streams, so P_inf matches theory and the reference in distribution, not sample for sample).
The scenario uses `cascade_order: sequential` by default: Buldyrev et al.'s alternating process, the one
the C reference runs (`--cascade-order simultaneous` for the specification's default rounds).

usage: make_buldyrev_model.py OUT_DIR [--n 100000] [--p 0.65] [--owners 4] [--zones 200] [--samples 40] [--cascade-order sequential]
writes OUT_DIR/model/{network.yaml,assets.csv,links.csv,dependencies.csv} and OUT_DIR/scenario.yaml
"""
import argparse
import os

import numpy as np

M64 = np.uint64(0xFFFFFFFFFFFFFFFF)
GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def mix(z):
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def sm(seed, i):
    """sm(seed, i) for an array of counters i (uint64), wrapping mod 2^64."""
    with np.errstate(over="ignore"):
        return mix(np.uint64(seed) + (i + np.uint64(1)) * GOLDEN)


def randint(x, n):
    with np.errstate(over="ignore"):
        return ((x >> np.uint64(32)) * np.uint64(n)) >> np.uint64(32)


def er_edges(n, k, seed):
    m = int(round(k * n / 2))
    e = np.arange(m, dtype=np.uint64)
    u = randint(sm(seed, np.uint64(2) * e), n)
    v = randint(sm(seed, np.uint64(2) * e + np.uint64(1)), n)
    keep = u != v
    return u[keep].astype(np.int64), v[keep].astype(np.int64)


def write_lines(path, header, columns):
    """Writes a CSV of string columns (numpy arrays of str) with a header, in chunks."""
    with open(path, "w") as f:
        f.write(header + "\n")
        n = len(columns[0])
        step = 200_000
        for s in range(0, n, step):
            rows = zip(*(c[s:s + step] for c in columns))
            f.write("".join(",".join(r) + "\n" for r in rows))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--n", type=float, default=1e5, help="assets per network")
    ap.add_argument("--p", type=float, default=0.65, help="probability that an A asset is not put out")
    ap.add_argument("--owners", type=int, default=4, help="owners per network")
    ap.add_argument("--zones", type=int, default=200)
    ap.add_argument("--samples", type=int, default=40)
    ap.add_argument("--cascade-order", choices=["sequential", "simultaneous"], default="sequential",
                    help="simulation.cascade_order of the scenario (sequential: the reference's process)")
    a = ap.parse_args()
    n = int(a.n)
    digits = len(str(n - 1))
    model = os.path.join(a.out, "model")
    os.makedirs(model, exist_ok=True)
    with open(os.path.join(model, "network.yaml"), "w") as f:
        f.write(f"format: 1\nname: buldyrev-er-{n}\nassets: assets.csv\nlinks: links.csv\n"
                "dependencies: dependencies.csv\nsectors:\n  a: {supply: giant-component}\n"
                "  b: {supply: giant-component}\n")
    idx = np.arange(n)
    num = np.char.zfill(idx.astype(str), digits)
    ids = {s: np.char.add(s, num) for s in "ab"}
    zone = np.char.add("z", np.char.zfill((idx % a.zones).astype(str), 4))
    # coordinates: a jittered grid over about 40 km x 40 km, from the same counter streams
    lat = 48.3 + 0.36 * (sm(0x7000, idx.astype(np.uint64)) >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
    lon = 7.7 + 0.54 * (sm(0x7001, idx.astype(np.uint64)) >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
    lat_s = np.char.mod("%.6f", lat)
    lon_s = np.char.mod("%.6f", lon)
    ones = np.full(n, "1")
    cols = []
    for s, owner_base in (("a", "GridA"), ("b", "GridB")):
        owner = np.char.add(f"{owner_base}-", (idx * a.owners // n).astype(str))
        cols.append((ids[s], np.full(n, s), np.full(n, "node"), owner, zone, lat_s, lon_s, ones))
    write_lines(os.path.join(model, "assets.csv"), "id,sector,kind,owner,zone,lat,lon,population",
                [np.concatenate([c[j] for c in cols]) for j in range(8)])
    link_cols = []
    for s, seed in (("a", 0x1000), ("b", 0x2000)):
        u, v = er_edges(n, 4, seed)
        lid = np.char.add(f"{s}-e", np.arange(len(u)).astype(str))
        link_cols.append((lid, np.full(len(u), s), ids[s][u], ids[s][v], np.full(len(u), "edge")))
    write_lines(os.path.join(model, "links.csv"), "id,sector,from,to,kind",
                [np.concatenate([c[j] for c in link_cols]) for j in range(5)])
    write_lines(os.path.join(model, "dependencies.csv"), "consumer,provider,type",
                [np.concatenate([ids["a"], ids["b"]]), np.concatenate([ids["b"], ids["a"]]),
                 np.full(2 * n, "physical")])
    with open(os.path.join(a.out, "scenario.yaml"), "w") as f:
        f.write(f"# Buldyrev et al. 2010 workload, N = {n} per network (benchmarks/workloads/make_buldyrev_model.py)\n"
                f"name: buldyrev-{n}\nnetwork: model/network.yaml\nevents:\n  - type: outage\n"
                f"    select: {{sector: a}}\n    probability: {1 - a.p:.6g}\n"
                f"simulation: {{samples: {a.samples}, seed: 1, cascade_order: {a.cascade_order}}}\n")


if __name__ == "__main__":
    main()
