#!/usr/bin/env python3
"""Import oracle (issue 14): reads the shipped real networks with the engineers' own tools
(matpowercaseframes, pandapower, pandapipes, wntr, networkx), builds the supply graph under
DESIGN.md section 11's conventions independently of Kaskada, and writes golden figures to
Tests/ImportersTests/Goldens/<case>.json: counts per table, sources, total population,
connected components, and the loss (people) of selected single outages (n1_impact: loss with the
asset removed minus the loss with nothing removed). ImportGoldenTests compares `kaskada import`
against them in every test run; this script runs only when the goldens are regenerated:

    python3 -m venv /tmp/oracle && /tmp/oracle/bin/pip install wntr six "pandapipes==0.16.0" \
        matpowercaseframes networkx
    /tmp/oracle/bin/python scripts/import-oracle.py        # all cases, or name some
"""
import json
import os
import sys

import networkx as nx

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(REPO, "scenarios", "source-data")
GOLDENS = os.path.join(REPO, "Tests", "ImportersTests", "Goldens")


class Model:
    """Assets (id -> table, role, population) and links (from, to, table, directed)."""

    def __init__(self):
        self.assets = {}
        self.links = []

    def asset(self, table, native, role="node", population=0.0):
        self.assets[f"{table}:{native}"] = (table, role, population)
        return f"{table}:{native}"

    def link(self, table, a, b, directed=False):
        self.links.append((a, b, table, directed))

    def arcs(self):
        g = nx.DiGraph()
        g.add_nodes_from(self.assets)
        for a, b, _, d in self.links:
            g.add_edge(a, b)
            if not d:
                g.add_edge(b, a)
        return g

    def lost(self, g, removed=None):
        """People on assets not supplied: reached from a working source over working assets,
        consumers receiving but not passing on supply (DESIGN.md section 2)."""
        seen = set()
        stack = [a for a, (_, role, _) in self.assets.items() if role == "source" and a != removed]
        seen.update(stack)
        while stack:
            a = stack.pop()
            if self.assets[a][1] == "consumer":
                continue
            for b in g.successors(a):
                if b not in seen and b != removed:
                    seen.add(b)
                    stack.append(b)
        return sum(p for a, (_, _, p) in self.assets.items() if a not in seen)

    def golden(self, case, outages):
        by_table, links_by_table = {}, {}
        for t, _, _ in self.assets.values():
            by_table[t] = by_table.get(t, 0) + 1
        for _, _, t, _ in self.links:
            links_by_table[t] = links_by_table.get(t, 0) + 1
        g = self.arcs()
        base = self.lost(g)
        return {
            "case": case["name"], "format": case["format"], "file": case["file"], "options": case.get("options", {}),
            "oracle": case["oracle"],
            "assets_by_table": dict(sorted(by_table.items())),
            "links_by_table": dict(sorted(links_by_table.items())),
            "sources": sum(1 for _, r, _ in self.assets.values() if r == "source"),
            "population_total": sum(p for _, _, p in self.assets.values()),
            "components": nx.number_weakly_connected_components(g),
            "n1_impact": {a: self.lost(g, a) - base for a in outages},
        }


def matpower(case):
    from matpowercaseframes import CaseFrames
    cf = CaseFrames(os.path.join(DATA, case["file"]))
    f = case["options"].get("people_per_mw", 0)
    m = Model()
    buses = set()
    for _, r in cf.bus.iterrows():
        if int(r.BUS_TYPE) == 4:
            continue
        b = int(r.BUS_I)
        buses.add(b)
        m.asset("bus", b, population=max(0.0, float(r.PD)) * f)
    for k, (_, r) in enumerate(cf.gen.iterrows(), start=1):
        b = int(r.GEN_BUS)
        if int(r.GEN_STATUS) <= 0 or b not in buses:
            continue
        role = "consumer" if r.PG < 0 else ("source" if r.PMAX > 0 else "node")
        g = m.asset("gen", k, role)
        m.link("connector", g, f"bus:{b}")
    for k, (_, r) in enumerate(cf.branch.iterrows(), start=1):
        a, b = int(r.F_BUS), int(r.T_BUS)
        if int(r.BR_STATUS) <= 0 or a not in buses or b not in buses:
            continue
        m.link("branch", f"bus:{a}", f"bus:{b}")
    return m


def tntp(case):
    import pandas as pd
    path = os.path.join(DATA, case["file"])
    with open(path) as fh:
        lines = fh.read().split("\n")
    nodes = int(next(l for l in lines if l.startswith("<NUMBER OF NODES>")).split(">")[1])
    start = next(i for i, l in enumerate(lines) if l.strip().startswith("~"))
    # the header's "~" and the rows' trailing ";" are not columns
    names = lines[start].replace("~", " ").replace(";", " ").split()
    df = pd.read_csv(path, sep=r"\s+", skiprows=start + 1, header=None, usecols=range(len(names)), names=names)
    m = Model()
    for n in range(1, nodes + 1):
        m.asset("node", n)
    pairs = {}
    for _, r in df.iterrows():
        a, b = int(r["init_node"]), int(r["term_node"])
        pairs.setdefault((min(a, b), max(a, b)), set()).add((a, b))
    for (a, b), dirs in pairs.items():
        if len(dirs) == 2:
            m.link("road", f"node:{a}", f"node:{b}")
        else:
            (x, y), = dirs
            m.link("road", f"node:{x}", f"node:{y}", directed=True)
    return m


def pandapower_(case):
    import pandapower as pp
    net = pp.from_json(os.path.join(DATA, case["file"]))
    opts = case["options"]
    m = Model()
    buses = set(net.bus.index[net.bus.in_service])
    load = {}
    for _, r in net.load[net.load.in_service].iterrows():
        p = float(r.p_mw) * float(r.scaling)
        if r.bus in buses and p > 0:
            load[r.bus] = load.get(r.bus, 0.0) + p
    total = sum(load.values())
    for b in buses:
        pop = load.get(b, 0.0) * opts["people_per_mw"] if "people_per_mw" in opts else \
            (load.get(b, 0.0) / total * opts["population_total"] if "population_total" in opts else 0.0)
        m.asset("bus", b, population=pop)
    for table in ("ext_grid", "gen"):
        t = getattr(net, table)
        for i, r in t[t.in_service].iterrows():
            if r.bus in buses:
                role = "consumer" if table == "gen" and r.p_mw < 0 else "source"
                a = m.asset(table, i, role)
                m.link("connector", a, f"bus:{r.bus}")
    sw = net.switch
    open_lines = set(sw[(~sw.closed) & (sw.et == "l")].element)
    open_trafos = set(sw[(~sw.closed) & (sw.et == "t")].element)
    for i, r in net.line[net.line.in_service].iterrows():
        if i not in open_lines and r.from_bus in buses and r.to_bus in buses:
            m.link("line", f"bus:{r.from_bus}", f"bus:{r.to_bus}")
    for i, r in net.trafo[net.trafo.in_service].iterrows():
        if i not in open_trafos and r.hv_bus in buses and r.lv_bus in buses:
            m.link("trafo", f"bus:{r.hv_bus}", f"bus:{r.lv_bus}")
    for i, r in sw[(sw.et == "b") & sw.closed].iterrows():
        if r.bus in buses and r.element in buses:
            m.link("switch", f"bus:{r.bus}", f"bus:{r.element}")
    return m


def pandapipes_(case):
    import pandapipes as ppi
    net = ppi.from_json(os.path.join(DATA, case["file"]))
    opts = case["options"]
    m = Model()
    js = set(net.junction.index[net.junction.in_service])
    load = {}
    for _, r in net.sink[net.sink.in_service].iterrows():
        q = float(r.mdot_kg_per_s) * float(r.scaling)
        if r.junction in js and q > 0:
            load[r.junction] = load.get(r.junction, 0.0) + q
    total = sum(load.values())
    for j in js:
        m.asset("junction", j, population=load.get(j, 0.0) / total * opts.get("population_total", 0.0) if total else 0.0)
    for i, r in net.ext_grid[net.ext_grid.in_service].iterrows():
        if r.junction in js:
            a = m.asset("ext_grid", i, "source")
            m.link("connector", a, f"junction:{r.junction}")
    for i, r in net.pipe[net.pipe.in_service].iterrows():
        if r.from_junction in js and r.to_junction in js:
            m.link("pipe", f"junction:{r.from_junction}", f"junction:{r.to_junction}")
    if "valve" in net:
        for i, r in net.valve[net.valve.opened].iterrows():
            m.link("valve", f"junction:{r.from_junction}", f"junction:{r.to_junction}")
    return m


READERS = {"matpower": matpower, "tntp": tntp, "pandapower": pandapower_, "pandapipes": pandapipes_}

CASES = [
    {"name": "case118", "format": "matpower", "file": "power/case118.m", "options": {"people_per_mw": 1000},
     "oracle": "matpowercaseframes + networkx", "outages": ["bus:12", "bus:69", "bus:9", "gen:1", "bus:117"]},
    {"name": "case1354pegase", "format": "matpower", "file": "power/case1354pegase.m", "options": {"people_per_mw": 1000},
     "oracle": "matpowercaseframes + networkx", "outages": ["bus:9241", "bus:3", "bus:4231"]},
    {"name": "mv_oberrhein", "format": "pandapower", "file": "power/mv_oberrhein.json", "options": {"people_per_mw": 1000},
     "oracle": "pandapower + networkx", "outages": ["bus:58", "bus:39", "bus:103", "bus:109", "bus:238"]},
    {"name": "lv_schutterwald", "format": "pandapower", "file": "power/lv_schutterwald.json", "options": {"population_total": 7000},
     "oracle": "pandapower + networkx", "outages": ["bus:2984", "bus:961", "bus:267"]},
    {"name": "gas_schutterwald", "format": "pandapipes", "file": "gas/gas_net_schutterwald_1bar.json",
     "options": {"population_total": 7000}, "oracle": "pandapipes + networkx", "outages": ["junction:168", "junction:14", "junction:450"]},
    {"name": "sioux_falls", "format": "tntp", "file": "transport/sioux_falls_net.tntp", "options": {},
     "oracle": "pandas + networkx", "outages": []},
]


def main(names):
    os.makedirs(GOLDENS, exist_ok=True)
    for case in CASES:
        if names and case["name"] not in names:
            continue
        if case["format"] not in READERS:
            print(f"skip {case['name']}: no reader for {case['format']}")
            continue
        m = READERS[case["format"]](case)
        g = m.golden(case, case["outages"])
        with open(os.path.join(GOLDENS, case["name"] + ".json"), "w") as fh:
            json.dump(g, fh, indent=1, sort_keys=True)
            fh.write("\n")
        print(f"{case['name']}: {sum(g['assets_by_table'].values())} assets, {sum(g['links_by_table'].values())} links, "
              f"{g['sources']} sources, population {g['population_total']:.1f}, {g['components']} component(s), n1 {g['n1_impact']}")


if __name__ == "__main__":
    main(sys.argv[1:])
