#!/usr/bin/env python3
"""Consistency checks for the shipped models, fragility library and scenarios (stdlib only).

    python3 scenarios/generate/check.py [--simulate N]

Checks, per model (includes resolved, ids prefixed): ids unique across assets and links and of the
allowed form; link ends exist and belong to the link's sector; dependency ends exist, no self
dependency, need/backup_hours agree per (consumer, group); population totals; every asset works in
the undamaged model (section 2 rules, every row present). Per scenario: only section-4 keys; each
select matches something; every kind a hazard event reaches with intensity > 0 has a curve for that
hazard in scenarios/fragility/default.csv (plus the scenario's own libraries); mitigation ids exist.
GeoJSON: RFC 7946 ring closure, orientation (exterior counter-clockwise, holes clockwise), holes
inside their exterior, no self-intersecting rings. With --simulate N, runs N static samples of each
hazard scenario (a rough sanity check of the data, not the product's engine).

This is a development aid; Kaskada's own `validate` is the authority.
"""

import argparse
import csv
import json
import math
import os
import random
import re
import sys
from collections import defaultdict

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
ID_RE = re.compile(r"^[A-Za-z0-9._:/-]+$")
ERRORS = []


def err(msg):
    ERRORS.append(msg)
    print("ERROR:", msg)


# ---------------------------------------------------------------------------------------------
# A small YAML subset: block maps and lists by indentation, flow maps/lists, plain/quoted scalars.


def _scalar(s):
    s = s.strip()
    if s == "":
        return None
    if s[0] in "\"'":
        return s[1:-1]
    low = s.lower()
    if low in ("true", "false"):
        return low == "true"
    if low in ("null", "~"):
        return None
    try:
        if re.match(r"^[+-]?\d+$", s):
            return int(s)
        return float(s)
    except ValueError:
        return s


def _flow(s, i):
    """Parse a flow value starting at s[i]; return (value, next index)."""
    while s[i] == " ":
        i += 1
    if s[i] == "{":
        out = {}
        i += 1
        while True:
            while s[i] in " ,":
                i += 1
            if s[i] == "}":
                return out, i + 1
            j = s.index(":", i)
            key = s[i:j].strip().strip("\"'")
            val, i = _flow(s, j + 1)
            out[key] = val
    if s[i] == "[":
        out = []
        i += 1
        while True:
            while s[i] in " ,":
                i += 1
            if s[i] == "]":
                return out, i + 1
            val, i = _flow(s, i)
            out.append(val)
    if s[i] in "\"'":
        q = s[i]
        j = s.index(q, i + 1)
        return s[i + 1:j], j + 1
    j = i
    while j < len(s) and s[j] not in ",}]":
        j += 1
    return _scalar(s[i:j]), j


def _value(text):
    text = text.strip()
    if text.startswith("{") or text.startswith("["):
        v, _ = _flow(text, 0)
        return v
    return _scalar(text)


def yaml_load(path):
    lines = []
    with open(path, encoding="utf-8-sig") as fh:
        for raw in fh:
            line = raw.rstrip("\r\n")
            if "#" in line:  # strip comments outside quotes (our files keep '#' out of quoted strings)
                k = line.find(" #")
                if line.lstrip().startswith("#"):
                    line = ""
                elif k >= 0:
                    line = line[:k]
            if line.strip():
                lines.append((len(line) - len(line.lstrip(" ")), line.strip()))
    pos = [0]

    def block(indent):
        if pos[0] >= len(lines):
            return None
        ind, text = lines[pos[0]]
        if text.startswith("- "):
            out = []
            while pos[0] < len(lines) and lines[pos[0]][0] == ind and lines[pos[0]][1].startswith("- "):
                item = lines[pos[0]][1][2:]
                if re.match(r"^[A-Za-z_][\w.-]*:( |$)", item) and not item.startswith("{"):
                    # a map item: rewrite as a map at indent ind + 2
                    lines[pos[0]] = (ind + 2, item)
                    out.append(mapping(ind + 2))
                else:
                    pos[0] += 1
                    out.append(_value(item))
            return out
        return mapping(ind)

    def mapping(ind):
        out = {}
        while pos[0] < len(lines) and lines[pos[0]][0] == ind and not lines[pos[0]][1].startswith("- "):
            text = lines[pos[0]][1]
            k = text.index(":")
            key, rest = text[:k].strip(), text[k + 1:].strip()
            pos[0] += 1
            if rest == "":
                if pos[0] < len(lines) and lines[pos[0]][0] > ind:
                    out[key] = block(lines[pos[0]][0])
                elif pos[0] < len(lines) and lines[pos[0]][0] == ind and lines[pos[0]][1].startswith("- "):
                    out[key] = block(ind)
                else:
                    out[key] = None
            else:
                out[key] = _value(rest)
        return out

    return block(lines[0][0]) if lines else None


# ---------------------------------------------------------------------------------------------
# Models.


class Net:
    def __init__(self):
        self.assets = {}
        self.links = {}
        self.deps = []  # dicts
        self.sectors = {}


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def load_model(path, prefix="", seen=None):
    seen = seen or []
    path = os.path.normpath(path)
    if path in seen:
        err(f"{path}: include cycle")
        return Net()
    y = yaml_load(path)
    base = os.path.dirname(path)
    net = Net()
    for key in y:
        if key not in ("format", "name", "assets", "links", "dependencies", "sectors", "include"):
            err(f"{path}: unknown key {key}")
    for s, v in (y.get("sectors") or {}).items():
        net.sectors[s] = v.get("supply", "sources")
    P = lambda x: prefix + x if x else x
    for inc in y.get("include") or []:
        sub = load_model(os.path.join(base, inc["path"]), prefix + inc.get("prefix", ""), seen + [path])
        for s, mode in sub.sectors.items():
            if s in net.sectors and net.sectors[s] != mode:
                err(f"{path}: sector {s} supply differs across includes")
            net.sectors.setdefault(s, mode)
        for k, v in sub.assets.items():
            if k in net.assets:
                err(f"duplicate asset id {k}")
            net.assets[k] = v
        for k, v in sub.links.items():
            net.links[k] = v
        net.deps += sub.deps
    if y.get("assets"):
        for r in read_csv(os.path.join(base, y["assets"])):
            r["id"] = P(r["id"])
            if r.get("zone"):
                r["zone"] = r["zone"] if "/" in r["zone"] else P(r["zone"])
            if r["id"] in net.assets:
                err(f"{path}: duplicate asset id {r['id']}")
            r["_file"] = path
            net.assets[r["id"]] = r
    if y.get("links"):
        for r in read_csv(os.path.join(base, y["links"])):
            r["id"], r["from"], r["to"] = P(r["id"]), P(r["from"]), P(r["to"])
            if r["id"] in net.links or r["id"] in net.assets:
                err(f"{path}: duplicate id {r['id']}")
            net.links[r["id"]] = r
    if y.get("dependencies"):
        for r in read_csv(os.path.join(base, y["dependencies"])):
            # ids already carrying a prefix of an included model are kept as they are
            for k in ("consumer", "provider"):
                if not (r[k] in net.assets or r[k] in net.links):
                    r[k] = P(r[k])
            net.deps.append(r)
    return net


def check_model(name, net):
    ok0 = len(ERRORS)
    for i in list(net.assets) + list(net.links):
        if not ID_RE.match(i):
            err(f"{name}: bad id {i!r}")
    for i in net.links:
        if i in net.assets:
            err(f"{name}: id {i} used by an asset and a link")
    for a in net.assets.values():
        if a["sector"] not in net.sectors:
            err(f"{name}: sector {a['sector']} not listed in network.yaml")
        if a.get("role", "node") not in ("source", "node", "consumer", ""):
            err(f"{name}: bad role {a['role']}")
        if int(a.get("population") or 0) < 0:
            err(f"{name}: negative population {a['id']}")
        lat, lon = float(a["lat"]), float(a["lon"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            err(f"{name}: bad coordinates {a['id']}")
    for l in net.links.values():
        for end in (l["from"], l["to"]):
            if end not in net.assets:
                err(f"{name}: link {l['id']} end {end} missing")
            elif net.assets[end]["sector"] != l["sector"]:
                err(f"{name}: link {l['id']} end {end} not in sector {l['sector']}")
        if l["directed"] not in ("true", "false"):
            err(f"{name}: link {l['id']} directed={l['directed']}")
    reqs = {}
    keys = set()
    for d in net.deps:
        c, p = d["consumer"], d["provider"]
        for end in (c, p):
            if end not in net.assets:
                err(f"{name}: dependency {c}->{p}: {end} is not an asset")
        if c == p:
            err(f"{name}: self dependency {c}")
        if d["type"] not in ("physical", "cyber", "geographic", "logical"):
            err(f"{name}: bad type {d['type']}")
        g = d.get("group") or net.assets.get(p, {}).get("sector")
        d["group"] = g
        need, bh = d.get("need") or "any", float(d.get("backup_hours") or 0)
        if need not in ("any", "all") and not (need.isdigit() and int(need) >= 1):
            err(f"{name}: bad need {need}")
        pr = float(d.get("probability") or 1)
        if not (0 < pr <= 1):
            err(f"{name}: bad probability {pr}")
        key = (c, g)
        if key in reqs and reqs[key] != (need, bh):
            err(f"{name}: requirement {key} disagrees: {reqs[key]} vs {(need, bh)}")
        reqs.setdefault(key, (need, bh))
        if (c, p, g) in keys:
            err(f"{name}: duplicate row {(c, p, g)}")
        keys.add((c, p, g))
    for s, mode in net.sectors.items():
        if mode == "giant-component" and not any(l["sector"] == s for l in net.links.values()):
            err(f"{name}: giant-component sector {s} has no links")
    working = cascade(net, set())
    broken = [a for a in net.assets if a not in working]
    if broken:
        err(f"{name}: {len(broken)} assets do not work in the undamaged model, e.g. {broken[:8]}")
    return len(ERRORS) == ok0


# ---------------------------------------------------------------------------------------------
# Section-2 state: rounds of supply, then dependency removal (backups exhausted: static).


def compile_net(net):
    if hasattr(net, "_c"):
        return net._c
    by_sector = defaultdict(list)
    for l in net.links.values():
        by_sector[l["sector"]].append(l)
    reqs = defaultdict(list)
    need = {}
    for d in net.deps:
        reqs[(d["consumer"], d["group"])].append(d)
        need[(d["consumer"], d["group"])] = d.get("need") or "any"
    net._c = (by_sector, reqs, need)
    return net._c


def supplied(net, sector, mode, working, dead_links, by_sector):
    assets = [a for a in net.assets.values() if a["sector"] == sector and a["id"] in working]
    links = [l for l in by_sector.get(sector, []) if l["id"] not in dead_links
             and l["from"] in working and l["to"] in working]
    if mode == "none":
        return {a["id"] for a in assets}
    if mode == "sources":
        if not by_sector.get(sector):
            return {a["id"] for a in assets}
        adj = defaultdict(list)
        for l in links:
            adj[l["from"]].append(l["to"])
            if l["directed"] != "true":
                adj[l["to"]].append(l["from"])
        role = {a["id"]: (a.get("role") or "node") for a in assets}
        seen = {i for i, r in role.items() if r == "source"}
        stack = list(seen)
        while stack:
            u = stack.pop()
            if role[u] == "consumer":
                continue
            for v in adj[u]:
                if v not in seen:
                    seen.add(v)
                    stack.append(v)
        return seen
    # giant component
    adj = defaultdict(list)
    for l in links:
        adj[l["from"]].append(l["to"])
        adj[l["to"]].append(l["from"])
    ids = sorted(a["id"] for a in assets)
    comp, best = {}, None
    for i in ids:
        if i in comp:
            continue
        group = [i]
        comp[i] = i
        k = 0
        while k < len(group):
            for v in adj[group[k]]:
                if v not in comp:
                    comp[v] = i
                    group.append(v)
            k += 1
        if best is None or len(group) > len(best):
            best = group
    return set(best or [])


def cascade(net, out, present=None, dead_links=frozenset()):
    """Working assets given the damaged/out set; present(row) says whether a row exists."""
    by_sector, reqs, need = compile_net(net)
    working = set(net.assets) - set(out)
    while True:
        removed = False
        for s, mode in sorted(net.sectors.items()):
            sup = supplied(net, s, mode, working, dead_links, by_sector)
            lost = {a for a in working if net.assets[a]["sector"] == s} - sup
            if lost:
                working -= lost
                removed = True
        changed = True
        while changed:
            changed = False
            for (c, g), rows in reqs.items():
                if c not in working:
                    continue
                rows_p = [d for d in rows if present is None or present(d)]
                if not rows_p:
                    continue
                avail = sum(1 for d in rows_p if d["provider"] in working)
                n = need[(c, g)]
                k = len(rows_p) if n == "all" else (1 if n == "any" else min(int(n), len(rows_p)))
                if avail < k:
                    working.discard(c)
                    changed = removed = True
        if not removed:
            return working


# ---------------------------------------------------------------------------------------------
# GeoJSON.


def ring_area(r):
    return sum(r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1] for i in range(len(r) - 1)) / 2


def point_in_ring(p, r):
    x, y = p
    inside = False
    for i in range(len(r) - 1):
        (x1, y1), (x2, y2) = r[i], r[i + 1]
        if (y1 > y) != (y2 > y):
            xi = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if xi > x:
                inside = not inside
    return inside


def seg_cross(a, b, c, d):
    def o(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    return (o(a, b, c) * o(a, b, d) < 0) and (o(c, d, a) * o(c, d, b) < 0)


def check_geojson(path):
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    if doc.get("type") != "FeatureCollection":
        err(f"{path}: not a FeatureCollection")
    polys = []
    kinds = defaultdict(int)
    for f in doc["features"]:
        g = f["geometry"]
        kinds[g["type"]] += 1
        if g["type"] == "Polygon":
            ps = [g["coordinates"]]
        elif g["type"] == "MultiPolygon":
            ps = g["coordinates"]
        else:
            err(f"{path}: geometry {g['type']}")
            continue
        for poly in ps:
            for k, ring in enumerate(poly):
                if len(ring) < 4 or ring[0] != ring[-1]:
                    err(f"{path}: ring not closed or too short")
                for lon, lat in ring:
                    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                        err(f"{path}: position out of range")
                a = ring_area(ring)
                if (k == 0 and a <= 0) or (k > 0 and a >= 0):
                    err(f"{path}: ring {k} has the wrong orientation")
                n = len(ring) - 1
                for i in range(n):
                    for j in range(i + 2, n):
                        if i == 0 and j == n - 1:
                            continue
                        if seg_cross(ring[i], ring[i + 1], ring[j], ring[j + 1]):
                            err(f"{path}: ring self-intersects")
                            break
                if k > 0 and not all(point_in_ring(p, poly[0]) for p in ring[:-1]):
                    err(f"{path}: hole outside its exterior")
            polys.append((poly, f["properties"]))
    holes = sum(len(p) - 1 for p, _ in polys)
    return doc, polys, dict(kinds), holes


def polygon_value(polys, prop, lon, lat):
    best = 0.0
    for poly, props in polys:
        if point_in_ring((lon, lat), poly[0]) and not any(point_in_ring((lon, lat), h) for h in poly[1:]):
            best = max(best, float(props[prop]))
    return best


# ---------------------------------------------------------------------------------------------
# Fragility library and scenarios.

FRAG_HEADER = ["kind", "hazard", "median", "beta", "repair_median_hours", "repair_beta", "source"]
SCEN_KEYS = {"format", "name", "network", "events", "annual_rate", "simulation", "weights", "crews",
             "fragility", "value_per_people_hour", "discount_rate", "mitigations", "budget"}
EVENT_KEYS = {
    "hazard": {"type", "intensity", "uncertainty", "select", "start_hours"},
    "outage": {"type", "select", "probability", "duration_hours", "start_hours"},
    "attack": {"type", "select", "count", "strategy", "start_hours"},
    "supply_interruption": {"type", "select", "duration_hours", "start_hours"},
    "contamination": {"type", "select", "duration_hours", "start_hours"},
}
SIM_KEYS = {"mode", "samples", "seed", "threads", "horizon_hours", "step_hours", "target_relative_ci"}
SELECT_KEYS = {"ids", "sector", "kind", "owner", "zone", "links"}


def read_fragility(paths):
    lib = {}
    for path in paths:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rd = csv.reader(fh)
            header = next(rd)
            if header != FRAG_HEADER:
                err(f"{path}: header {header}")
            for n, row in enumerate(rd, 2):
                if len(row) != 7:
                    err(f"{path}:{n}: {len(row)} fields")
                    continue
                kind, hz, med, beta, rm, rb, src = row
                if not src.strip():
                    err(f"{path}:{n}: no source")
                if hz != "*":
                    if not med or not beta or float(med) <= 0 or float(beta) <= 0:
                        err(f"{path}:{n}: bad median/beta")
                for v in (rm, rb):
                    if v and float(v) <= 0:
                        err(f"{path}:{n}: bad repair value")
                lib[(kind, hz)] = row
    return lib


def as_list(v):
    return v if isinstance(v, list) else [v]


def select(net, sel, frame=None):
    """Assets (and links when asked) matching a select map."""
    out = []
    sel = sel or {}
    for k in sel:
        if k not in SELECT_KEYS:
            err(f"select key {k}")
    pools = [net.assets.values()]
    if sel.get("links") or "ids" in sel:
        pools.append(net.links.values())
    for pool in pools:
        for a in pool:
            is_link = a["id"] in net.links
            if is_link and not sel.get("links") and not ("ids" in sel and a["id"] in as_list(sel["ids"])):
                continue
            okk = True
            for k in ("ids", "sector", "kind", "owner", "zone"):
                if k in sel:
                    field = "id" if k == "ids" else k
                    if a.get(field) not in [str(v) for v in as_list(sel[k])]:
                        okk = False
            if okk:
                out.append(a)
    return out


def check_scenario(path, lib_default, simulate):
    y = yaml_load(path)
    base = os.path.dirname(path)
    name = os.path.basename(path)
    for k in y:
        if k not in SCEN_KEYS:
            err(f"{name}: unknown key {k}")
    for k in ("name", "network", "events"):
        if k not in y:
            err(f"{name}: missing {k}")
    if not re.match(r"^[A-Za-z0-9._-]+$", y["name"]):
        err(f"{name}: bad name")
    net = load_model(os.path.join(base, y["network"]))
    libs = [lib_default] + [os.path.join(base, p) for p in y.get("fragility") or []]
    lib = read_fragility(libs)
    for k in (y.get("simulation") or {}):
        if k not in SIM_KEYS:
            err(f"{name}: simulation key {k}")
    for s in (y.get("weights") or {}):
        if s not in net.sectors:
            err(f"{name}: weight for unknown sector {s}")
    owners = {a.get("owner") for a in net.assets.values()}
    for o in (y.get("crews") or {}):
        if o not in owners:
            err(f"{name}: crews for unknown owner {o}")
    reached = defaultdict(set)
    hazard_events = []
    for ev in y["events"]:
        t = ev["type"]
        allowed = EVENT_KEYS.get(t, EVENT_KEYS["hazard"])
        for k in ev:
            if k not in allowed:
                err(f"{name}: event {t} key {k}")
        sel = select(net, ev.get("select")) if "select" in ev else None
        if sel is not None and not sel:
            err(f"{name}: event {t} select matches nothing")
        if t in EVENT_KEYS:
            if t == "supply_interruption":
                for a in sel or []:
                    if a.get("role") != "source":
                        err(f"{name}: supply_interruption selects non-source {a['id']}")
            continue
        # hazard event: compute intensities
        inten = ev["intensity"]
        targets = sel if sel is not None else list(net.assets.values()) + list(net.links.values())
        if "polygons" in inten:
            _, polys, _, _ = check_geojson(os.path.join(base, inten["polygons"]))
            f = lambda a: polygon_value(polys, inten["property"], float(a["lon"]), float(a["lat"]))
        elif "centre" in inten:
            c = inten["centre"]
            def f(a, c=c, inten=inten):
                d = haversine(float(a["lat"]), float(a["lon"]), float(c["lat"]), float(c["lon"]))
                if "radius_km" in inten:
                    return float(inten["peak"]) if d <= float(inten["radius_km"]) else 0.0
                return float(inten["peak"]) * math.exp(-d / float(inten["decay_km"]))
        elif "value" in inten:
            f = lambda a: float(inten["value"])
        else:
            err(f"{name}: intensity form {inten}")
            continue
        iv = {}
        for a in targets:
            v = f(a)
            if v > 0:
                iv[a["id"]] = v
                reached[t].add(a["kind"])
                if (a["kind"], t) not in lib:
                    err(f"{name}: {a['kind']} reached by {t} has no curve")
        hazard_events.append((t, iv, ev.get("uncertainty") or {}))
    for kinds in reached.values():
        for k in kinds:
            if (k, "*") not in lib:
                err(f"{name}: no repair row for {k}")
    ids = set(net.assets) | set(net.links)
    for mi in y.get("mitigations") or []:
        for k in mi:
            if k not in ("id", "cost", "lifetime_years", "annual_cost", "actions"):
                err(f"{name}: mitigation key {k}")
        for act in mi["actions"]:
            (kind, body), = act.items()
            if kind in ("harden", "backup", "faster_repair"):
                if not select(net, body["select"]):
                    err(f"{name}: mitigation {mi['id']} selects nothing")
            if kind == "redundant_supply":
                if "link" in body:
                    L = body["link"]
                    if L["id"] in ids:
                        err(f"{name}: new link id {L['id']} exists")
                    for e in (L["from"], L["to"]):
                        if e not in net.assets or net.assets[e]["sector"] != L["sector"]:
                            err(f"{name}: new link end {e}")
                else:
                    for e in (body["consumer"], body["provider"]):
                        if e not in net.assets:
                            err(f"{name}: redundant_supply {e} missing")
                    rows = [d for d in net.deps if d["consumer"] == body["consumer"] and d["group"] == body["group"]]
                    if rows and (rows[0].get("need") or "any") != str(body.get("need", "any")):
                        err(f"{name}: redundant_supply need disagrees with existing rows")
            if kind == "protect_zone":
                zones = {a.get("zone") for a in net.assets.values()}
                if body["zone"] not in zones:
                    err(f"{name}: zone {body['zone']} unknown")
            if kind == "add_crews" and body["owner"] not in owners:
                err(f"{name}: add_crews owner unknown")
    summary = {t: sorted(k) for t, k in reached.items()}
    if simulate and hazard_events:
        simulate_static(name, net, y, lib, hazard_events, simulate)
    return summary


def haversine(la1, lo1, la2, lo2):
    p1, p2 = math.radians(la1), math.radians(la2)
    dp, dl = p2 - p1, math.radians(lo2 - lo1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def simulate_static(name, net, y, lib, events, n):
    rng = random.Random(12345)
    sectors = sorted({a["sector"] for a in net.assets.values()})
    tot = defaultdict(float)
    pop = {a["id"]: int(a.get("population") or 0) for a in net.assets.values()}
    zones = sorted({a.get("zone") for a in net.assets.values()})
    for _ in range(n):
        out, dead = set(), set()
        for t, iv, unc in events:
            ef = math.exp(rng.gauss(0, float(unc.get("event_sigma", 0))))
            zf = {z: math.exp(rng.gauss(0, float(unc.get("zone_sigma", 0)))) for z in zones}
            for i, v in sorted(iv.items()):
                a = net.assets.get(i) or net.links.get(i)
                row = lib[(a["kind"], t)]
                im = v * ef * zf.get(a.get("zone"), 1.0)
                pd = 0.5 * (1 + math.erf(math.log(im / float(row[2])) / float(row[3]) / math.sqrt(2)))
                if rng.random() < pd:
                    (dead if i in net.links else out).add(i)
        present_draw = {}
        for d in net.deps:
            present_draw[id(d)] = rng.random() < float(d.get("probability") or 1)
        w = cascade(net, out, present=lambda d: present_draw[id(d)], dead_links=dead)
        for a in net.assets.values():
            if a["id"] not in w:
                tot[a["sector"]] += pop[a["id"]]
        tot["_damaged"] += len(out) + len(dead)
    line = ", ".join(f"{s} {tot[s] / n:,.0f}" for s in sectors if tot[s] > 0)
    print(f"  {name}: static mean over {n} samples: damaged {tot['_damaged'] / n:.1f}; people without service: {line}")


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--simulate", type=int, default=0)
    a = ap.parse_args()
    nets = os.path.join(ROOT, "networks")
    lib_default = os.path.join(ROOT, "fragility", "default.csv")
    lib = read_fragility([lib_default]) if os.path.exists(lib_default) else {}
    kinds = set()
    for m in sorted(os.listdir(nets)):
        p = os.path.join(nets, m, "network.yaml")
        if not os.path.exists(p):
            continue
        net = load_model(p)
        check_model(m, net)
        kinds |= {x["kind"] for x in net.assets.values()} | {x["kind"] for x in net.links.values()}
        bys = defaultdict(lambda: [0, 0])
        for x in net.assets.values():
            bys[x["sector"]][0] += 1
            bys[x["sector"]][1] += int(x.get("population") or 0)
        print(f"{m}: {len(net.assets)} assets, {len(net.links)} links, {len(net.deps)} dependency rows, "
              f"{len({x.get('owner') for x in net.assets.values()})} owners, "
              f"{len({x.get('zone') for x in net.assets.values()})} zones")
        print("  " + "; ".join(f"{s} {c[0]} assets/{c[1]:,} people" for s, c in sorted(bys.items())))
    for k in sorted(kinds):
        if (k, "*") not in lib:
            err(f"fragility: no '*' repair row for kind {k}")
    for f in sorted(os.listdir(ROOT)):
        if f.endswith(".yaml"):
            summ = check_scenario(os.path.join(ROOT, f), lib_default, a.simulate)
            print(f"{f}: reached " + "; ".join(f"{t}: {', '.join(k)}" for t, k in summ.items()))
    for sub in ("riverside", "region"):
        d = os.path.join(ROOT, sub)
        if os.path.isdir(d):
            for f in sorted(os.listdir(d)):
                if f.endswith(".geojson"):
                    _, polys, kinds_, holes = check_geojson(os.path.join(d, f))
                    print(f"{sub}/{f}: {kinds_}, {holes} holes")
    print(f"{len(ERRORS)} errors")
    sys.exit(1 if ERRORS else 0)


if __name__ == "__main__":
    main()
