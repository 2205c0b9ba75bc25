#!/usr/bin/env python3
"""Builds the seed corpora of Kaskada's fuzz targets from the shipped files.

usage: Fuzz/seeds.py OUT_DIR [--kaskada BIN]

Writes OUT_DIR/<target>/<seed> for every target (Fuzz/README.md). An input of a multi-file
target is its files' texts joined by NUL bytes, in the order FuzzEntry's target lists them.
Sources: the malformed corpus (Tests/ModelIOTests/Malformed), the loader fixtures, the shipped
models, scenarios, footprints and fragility libraries, the real networks of
scenarios/source-data (trimmed to a few rows per table, so that seeds stay under 64 KiB), and,
with --kaskada, a small run's manifest.json and a shard's shard.json and block.bin.
"""
import json, os, subprocess, sys, tempfile, shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAL = os.path.join(ROOT, "Tests/ModelIOTests/Malformed")
FIX = os.path.join(ROOT, "Tests/ModelIOTests/Fixtures")
MODEL = ["network.yaml", "assets.csv", "links.csv", "dependencies.csv",
         "b/network.yaml", "b/assets.csv", "b/links.csv", "b/dependencies.csv"]
SCENARIO = ["scenario.yaml", "fragility.csv", "zones.geojson", "depths.csv"] + MODEL
COUPLE = ["couple.yaml", "mv/network.yaml", "mv/assets.csv", "mv/links.csv", "crit/network.yaml", "crit/assets.csv", "water-users.csv"]
LIMIT = 60000


def read(path, lines=None):
    if not os.path.exists(path):
        return b""
    with open(path, "rb") as f:
        data = f.read()
    if lines is not None:
        data = b"".join(data.splitlines(keepends=True)[:lines])
    return data


def join(texts):
    # drop trailing empty sections: a missing file and an absent section are the same
    while texts and texts[-1] is None:
        texts.pop()
    return b"\0".join(t or b"" for t in texts)


def folder(d, names, lines=None, rename=None):
    out = []
    for n in names:
        src = (rename or {}).get(n, n)
        p = os.path.join(d, src)
        out.append(read(p, lines) if os.path.exists(p) else None)
    return join(out)


class Corpus:
    def __init__(self, out):
        self.out = out
        self.counts = {}

    def add(self, target, name, data):
        if not data:
            return
        d = os.path.join(self.out, target)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), "wb") as f:
            f.write(data[:LIMIT])
        self.counts[target] = self.counts.get(target, 0) + 1


def trim_pandas(path, rows=12):
    """A pandapower/pandapipes JSON file with every table cut to its first rows."""
    with open(path) as f:
        net = json.load(f)
    obj = net.get("_object", {})
    for k, v in obj.items():
        if isinstance(v, dict) and v.get("_class") == "DataFrame" and isinstance(v.get("_object"), str):
            try:
                frame = json.loads(v["_object"])
            except ValueError:
                continue
            if isinstance(frame, dict) and "data" in frame:
                frame["data"] = frame["data"][:rows]
                if "index" in frame:
                    frame["index"] = frame["index"][:rows]
                v["_object"] = json.dumps(frame)
    return json.dumps(net).encode()


def main():
    out = sys.argv[1]
    kaskada = sys.argv[sys.argv.index("--kaskada") + 1] if "--kaskada" in sys.argv else None
    c = Corpus(out)
    # models and scenarios: the malformed corpus and the fixtures (hand/north is its include)
    for base in (MAL, FIX):
        for case in sorted(os.listdir(base)):
            d = os.path.join(base, case)
            if not os.path.isdir(d):
                continue
            rename = {f"b/{n}": f"north/{n}" for n in ["network.yaml", "assets.csv", "links.csv", "dependencies.csv"]} \
                if os.path.isdir(os.path.join(d, "north")) else None
            if os.path.exists(os.path.join(d, "network.yaml")):
                data = folder(d, MODEL, rename=rename)
                c.add("model", case, data.replace(b"north/", b"b/"))
            if os.path.exists(os.path.join(d, "scenario.yaml")):
                c.add("scenario", case, folder(d, SCENARIO, rename={"depths.csv": "depths.csv"}))
            for n in ("fragility.csv",):
                if os.path.exists(os.path.join(d, n)):
                    c.add("fragility", case, read(os.path.join(d, n)))
            if os.path.exists(os.path.join(d, "zones.geojson")):
                c.add("geojson", case, read(os.path.join(d, "zones.geojson")))
    # shipped models, trimmed to their first rows
    for name in ("riverside", "hillside"):
        d = os.path.join(ROOT, "scenarios/networks", name)
        c.add("model", "shipped-" + name, folder(d, MODEL, lines=80))
    for name in ("mv", "lv", "gas"):
        d = os.path.join(ROOT, "scenarios/schutterwald", name)
        c.add("model", "schutterwald-" + name, folder(d, MODEL, lines=80))
    # shipped scenarios over the trimmed Riverside model (their ids may be missing: errors are seeds too)
    riverside = os.path.join(ROOT, "scenarios/networks/riverside")
    for s in sorted(os.listdir(os.path.join(ROOT, "scenarios"))):
        if not s.startswith("riverside") or not s.endswith(".yaml"):
            continue
        text = read(os.path.join(ROOT, "scenarios", s))
        text = text.replace(b"networks/riverside/network.yaml", b"network.yaml").replace(b"riverside/flood-100y.geojson", b"zones.geojson")
        geo = read(os.path.join(ROOT, "scenarios/riverside/flood-100y.geojson"))
        c.add("scenario", s, join([text, read(os.path.join(ROOT, "scenarios/fragility/aged-wood-poles.csv")), geo[:20000], None]
                                  + [read(os.path.join(riverside, n), 120) if n in ("network.yaml", "assets.csv", "links.csv", "dependencies.csv") else None for n in MODEL]))
    # footprints and fragility libraries
    for p in ("scenarios/riverside/flood-100y.geojson", "scenarios/region/flood-100y.geojson",
              "scenarios/schutterwald/flood-100y.geojson", "scenarios/source-data/transport/sioux_falls.geojson"):
        c.add("geojson", p.replace("/", "_"), read(os.path.join(ROOT, p)))
    for p in ("scenarios/fragility/default.csv", "scenarios/fragility/aged-wood-poles.csv", "scenarios/schutterwald/fragility.csv"):
        c.add("fragility", p.replace("/", "_"), read(os.path.join(ROOT, p)))
    # couple.yaml over the trimmed MV grid and the critical sites of Schutterwald
    sw = os.path.join(ROOT, "scenarios/schutterwald")
    couple = read(os.path.join(sw, "couple.yaml")).replace(b"critical/network.yaml", b"crit/network.yaml")
    couple = b"\n".join(l for l in couple.split(b"\n") if b"lv/network.yaml" not in l and b"gas/network.yaml" not in l)
    c.add("couple", "schutterwald", join([couple, read(os.path.join(sw, "mv/network.yaml")), read(os.path.join(sw, "mv/assets.csv"), 120),
                                           read(os.path.join(sw, "mv/links.csv"), 120), read(os.path.join(sw, "critical/network.yaml")),
                                           read(os.path.join(sw, "critical/assets.csv")), read(os.path.join(sw, "water-users.csv"))]))
    c.add("couple", "schutterwald-lv-rule", join([couple.replace(b"model: lv", b"model: mv"), read(os.path.join(sw, "mv/network.yaml")),
                                                             read(os.path.join(sw, "mv/assets.csv"), 120), read(os.path.join(sw, "mv/links.csv"), 120),
                                                             read(os.path.join(sw, "critical/network.yaml")), read(os.path.join(sw, "critical/assets.csv")),
                                                             read(os.path.join(sw, "water-users.csv"))]))
    # importers: the real networks (MANIFEST.csv), trimmed
    src = os.path.join(ROOT, "scenarios/source-data")
    c.add("matpower", "case118.m", read(os.path.join(src, "power/case118.m")))
    c.add("matpower", "case1354pegase-head.m", read(os.path.join(src, "power/case1354pegase.m"), 400))
    c.add("pandapower", "mv_oberrhein", trim_pandas(os.path.join(src, "power/mv_oberrhein.json")))
    c.add("pandapower", "lv_schutterwald", trim_pandas(os.path.join(src, "power/lv_schutterwald.json")))
    c.add("pandapipes", "gas_schutterwald", trim_pandas(os.path.join(src, "gas/gas_net_schutterwald_1bar.json")))
    c.add("epanet", "Net3.inp", read(os.path.join(src, "water/Net3.inp")))
    c.add("epanet", "ky8-head.inp", read(os.path.join(src, "water/ky8.inp"), 700))
    c.add("epanet", "micropolis-head.inp", read(os.path.join(src, "water/MICROPOLIS_v1.inp"), 700))
    c.add("tntp", "sioux_falls_net.tntp", read(os.path.join(src, "transport/sioux_falls_net.tntp")))
    # result files: a small run and a shard of it
    if kaskada:
        tmp = tempfile.mkdtemp(prefix="kaskada-seeds-")
        try:
            scen = os.path.join(FIX, "mini/scenario.yaml")
            subprocess.run([kaskada, "run", scen, "--samples", "20", "--out", os.path.join(tmp, "r"), "--quiet"], check=True)
            c.add("manifest", "mini", read(os.path.join(tmp, "r/manifest.json")))
            for n in (1, 2):
                sh = os.path.join(tmp, f"s{n}")
                subprocess.run([kaskada, "run", scen, "--samples", "20", "--shard", f"{n}/2", "--out", sh, "--quiet"], check=True)
                c.add("shard", f"mini-{n}-of-2", join([read(os.path.join(sh, "shard.json")), read(os.path.join(sh, "block.bin"))]))
                c.add("checkpoint", f"mini-{n}-of-2", read(os.path.join(sh, "block.bin")))
            timed = os.path.join(ROOT, "scenarios/riverside-windstorm-timed.yaml")
            sh = os.path.join(tmp, "t")
            subprocess.run([kaskada, "run", timed, "--samples", "2", "--shard", "1/1", "--no-rankings", "--out", sh, "--quiet"], check=True)
            blk = read(os.path.join(sh, "block.bin"))
            if len(blk) <= LIMIT:
                c.add("checkpoint", "riverside-windstorm-timed", blk)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    for t in sorted(c.counts):
        print(f"{t}: {c.counts[t]} seeds")


if __name__ == "__main__":
    main()
