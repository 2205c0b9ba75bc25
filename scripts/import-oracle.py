#!/usr/bin/env python3
"""Import oracle: reads the shipped real networks with the engineers' own tools
(matpowercaseframes, pandapower, pandapipes, wntr, networkx), builds the supply graph under
docs/specification.md section 11's conventions independently of Kaskada, and writes golden figures to
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
import re
import sys

import networkx as nx

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(REPO, "scenarios", "source-data")
GOLDENS = os.path.join(REPO, "Tests", "ImportersTests", "Goldens")


def esc(s):
    """docs/specification.md section 11: every character outside [A-Za-z0-9._:/-] becomes '_'."""
    return re.sub(r"[^A-Za-z0-9._:/-]", "_", s)


class Model:
    """Assets (id -> table, role, population) and links (from, to, table, directed)."""

    def __init__(self):
        self.assets = {}
        self.links = []

    def asset(self, table, native, role="node", population=0.0):
        self.assets[esc(f"{table}:{native}")] = (table, role, population)
        return esc(f"{table}:{native}")

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
        consumers receiving but not passing on supply (docs/specification.md section 2)."""
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
            "population_total": float(sum(p for _, _, p in self.assets.values())),
            "components": nx.number_weakly_connected_components(g),
            "n1_impact": {a: float(self.lost(g, a) - base) for a in outages},
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


def epanet(case):
    """WNTR's reader; Micropolis' [RULES] use clock times ("6 AM") that WNTR 1.5 cannot read, so
    the rules are read here from the file and the section is blanked before WNTR reads it."""
    import re
    import tempfile
    import wntr
    path = os.path.join(DATA, case["file"])
    text = open(path, encoding="utf-8").read()
    rules = re.search(r"\[RULES\](.*?)\n\[", text, re.S)
    opened_by_rule = set()
    if rules:
        for line in rules.group(1).splitlines():
            t = line.split(";")[0].split()
            if len(t) >= 6 and t[0].upper() in ("THEN", "ELSE", "AND") and t[1].upper() in ("LINK", "PUMP", "PIPE", "VALVE"):
                if (t[3].upper() == "STATUS" and t[5].upper() == "OPEN") or (t[3].upper() == "SETTING" and float(t[5]) > 0):
                    opened_by_rule.add(t[2])
        text = text[:rules.start(1)] + "\n" + text[rules.end(1):]
    with tempfile.NamedTemporaryFile("w", suffix=".inp", delete=False) as fh:
        fh.write(text)
    wn = wntr.network.WaterNetworkModel(fh.name)
    os.unlink(fh.name)
    opened = set(opened_by_rule)
    for name, control in wn.controls():
        for action in control.actions():
            target = action.target()
            obj, attr = target[0], target[1]
            value = action._value
            if attr in ("status", "base_status") and value == wntr.network.LinkStatus.Open:
                opened.add(obj.name)
            elif attr in ("setting", "base_speed") and value > 0:
                opened.add(obj.name)
    opts = case["options"]
    mult = wn.options.hydraulic.demand_multiplier
    m = Model()
    load = {}
    for name, j in wn.junctions():
        d = 0.0
        for ts in j.demand_timeseries_list:
            pm = 1.0 if ts.pattern is None else sum(ts.pattern.multipliers) / len(ts.pattern.multipliers)
            d += ts.base_value * pm
        # WNTR converts flows to m3/s; the ratio is what counts for population
        load[name] = max(0.0, d * mult)
    total = sum(load.values())
    for name, _ in wn.junctions():
        m.asset("junction", name, population=load[name] / total * opts.get("population_total", 0.0) if total else 0.0)
    for name, _ in wn.reservoirs():
        m.asset("reservoir", name, "source")
    for name, _ in wn.tanks():
        m.asset("tank", name, "source" if opts.get("tanks_as_sources") else "node")
    def closed(link):
        return link.initial_status == wntr.network.LinkStatus.Closed and link.name not in opened
    for name, p in wn.pipes():
        if not closed(p):
            m.link("pipe", _node(wn, p.start_node_name), _node(wn, p.end_node_name), directed=p.check_valve)
    for name, p in wn.pumps():
        if not closed(p):
            a = m.asset("pump", name)
            m.link("pump", _node(wn, p.start_node_name), a, directed=True)
            m.link("pump", a, _node(wn, p.end_node_name), directed=True)
    for name, v in wn.valves():
        if not closed(v):
            m.link("valve", _node(wn, v.start_node_name), _node(wn, v.end_node_name), directed=v.valve_type in ("PRV", "PSV", "FCV"))
    return m


def _node(wn, name):
    n = wn.get_node(name)
    return esc({"Junction": "junction", "Reservoir": "reservoir", "Tank": "tank"}[n.node_type] + ":" + name)


READERS = {"epanet": epanet, "matpower": matpower, "tntp": tntp, "pandapower": pandapower_, "pandapipes": pandapipes_}

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
    {"name": "net3", "format": "epanet", "file": "water/Net3.inp", "options": {"population_total": 10000},
     "oracle": "wntr + networkx", "outages": ["junction:201", "junction:10", "pump:10", "pump:335", "junction:60"]},
    {"name": "micropolis", "format": "epanet", "file": "water/MICROPOLIS_v1.inp", "options": {"population_total": 10000},
     "oracle": "wntr (rules read separately) + networkx", "outages": ["pump:HSP_1", "junction:IN1471", "reservoir:Aquifer"]},
    {"name": "ky8", "format": "epanet", "file": "water/ky8.inp", "options": {"population_total": 10000},
     "oracle": "wntr + networkx", "outages": ["pump:__Pump-1", "pump:__Pump-2", "junction:J-1"]},
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
