#!/usr/bin/env python3
"""Writes a synthetic model of N assets and 2N links (plus N/2 dependency rows) for load benchmarks.

Deterministic (random.Random(seed)); four sectors (power, water, telecom: supply from sources;
transport: giant-component). Each sector is a random tree grown from its sources plus extra links
to reach 2N links in all; ids look like real ones (e.g. `power/sub-000123`).

usage: make_large_model.py OUT_DIR [--assets 1000000] [--seed 1]
"""
import argparse
import os
import random

SECTORS = ["power", "water", "telecom", "transport"]
KINDS = {"power": ["substation", "distribution_substation"], "water": ["pump_station", "district_meter"],
         "telecom": ["aggregation_node", "cell_tower"], "transport": ["road_junction", "bridge"]}
LINK_KIND = {"power": "mv_line", "water": "water_main", "telecom": "fibre", "transport": "road"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--assets", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    n = a.assets
    per = n // len(SECTORS)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "network.yaml"), "w") as f:
        f.write("format: 1\nname: large\nassets: assets.csv\nlinks: links.csv\ndependencies: dependencies.csv\n"
                "sectors:\n  transport: {supply: giant-component}\n")
    ids = []
    with open(os.path.join(a.out, "assets.csv"), "w") as f:
        f.write("id,sector,kind,role,owner,zone,lat,lon,population\n")
        rows = []
        for s, sector in enumerate(SECTORS):
            for j in range(per):
                aid = f"{sector}/a-{j:07d}"
                ids.append(aid)
                role = "source" if (j < 10 and sector != "transport") else "node"
                kind = KINDS[sector][0 if j % 7 == 0 else 1]
                pop = 0 if j % 7 == 0 else rng.randint(20, 400)
                lat = 48.0 + rng.random() * 2
                lon = 7.0 + rng.random() * 3
                rows.append(f"{aid},{sector},{kind},{role},{sector.capitalize()}Co,Z{j % 40:02d},{lat:.6f},{lon:.6f},{pop}\n")
                if len(rows) >= 100000:
                    f.writelines(rows); rows = []
        f.writelines(rows)
    m = 2 * n
    with open(os.path.join(a.out, "links.csv"), "w") as f:
        f.write("id,sector,from,to,kind,length_km\n")
        rows = []
        k = 0
        for s, sector in enumerate(SECTORS):
            base = s * per
            quota = m // len(SECTORS)
            for j in range(1, per):          # tree
                p = rng.randrange(j)
                rows.append(f"{sector}/l-{k:08d},{sector},{ids[base + p]},{ids[base + j]},{LINK_KIND[sector]},{rng.random() * 2:.3f}\n")
                k += 1
            for _ in range(quota - (per - 1)):  # extra mesh
                u = rng.randrange(per); v = rng.randrange(per)
                rows.append(f"{sector}/l-{k:08d},{sector},{ids[base + u]},{ids[base + v]},{LINK_KIND[sector]},{rng.random() * 2:.3f}\n")
                k += 1
                if len(rows) >= 100000:
                    f.writelines(rows); rows = []
            f.writelines(rows); rows = []
    with open(os.path.join(a.out, "dependencies.csv"), "w") as f:
        f.write("consumer,provider,type,group,need,backup_hours\n")
        rows = []
        for i in range(n // 2):
            s = rng.randrange(len(SECTORS))
            t = (s + 1 + rng.randrange(len(SECTORS) - 1)) % len(SECTORS)
            c = ids[s * per + rng.randrange(per)]
            for _ in range(1):
                p = ids[t * per + rng.randrange(per)]
            rows.append(f"{c},{p},physical,{SECTORS[t]},any,0\n")
        # one row per (consumer, group, provider): drop duplicates deterministically
        seen = set(); out = []
        for r in rows:
            key = r.split(",")[0] + "," + r.split(",")[3] + "," + r.split(",")[1]
            if key not in seen:
                seen.add(key); out.append(r)
        f.writelines(out)


if __name__ == "__main__":
    main()
