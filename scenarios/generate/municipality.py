#!/usr/bin/env python3
"""Deterministic generator of fictitious municipal infrastructure models for Kaskada.

Writes a model folder (DESIGN.md section 2): network.yaml, assets.csv, links.csv and
dependencies.csv, and optionally a 100-year flood footprint as RFC 7946 GeoJSON.

    municipality.py --name riverside --seed 42 --lat 48.47 --lon 7.94 \
        --population 150000 --out scenarios/networks/riverside \
        --flood-out scenarios/riverside/flood-100y.geojson

    municipality.py --region --out scenarios/networks/region \
        --member riverside,42,48.47,7.94,150000 --member hillside,7,48.47,8.143,40000 \
        --flood-out scenarios/region/flood-100y.geojson

Only the Python 3 standard library is used. All randomness comes from random.Random(seed)
instances (one per generation stage, seeded in a fixed order from random.Random(seed)); all
collections are iterated in a stable order, and numbers are written with fixed precision, so
the same arguments always give the same bytes. See README.md beside this file for the design.
"""

import argparse
import csv
import json
import math
import os
import random

# --------------------------------------------------------------------------------------------
# Geometry: a local equirectangular frame in kilometres around the centre (x east, y north).


class Frame:
    def __init__(self, lat0, lon0):
        self.lat0 = lat0
        self.lon0 = lon0
        self.kx = 111.320 * math.cos(math.radians(lat0))  # km per degree of longitude
        self.ky = 110.574  # km per degree of latitude

    def lonlat(self, x, y):
        return (self.lon0 + x / self.kx, self.lat0 + y / self.ky)

    def xy(self, lon, lat):
        return ((lon - self.lon0) * self.kx, (lat - self.lat0) * self.ky)


def dist(a, b):
    return math.hypot(a[0] - b[0], a[1] - b[1])


def nearest(p, pts, k=1, key=None):
    """Indices of the k points of pts nearest to p (ties by index)."""
    order = sorted(range(len(pts)), key=lambda i: (dist(p, pts[i] if key is None else key(pts[i])), i))
    return order[:k]


def fmt(v, nd):
    s = f"{v:.{nd}f}"
    if s.startswith("-") and float(s) == 0.0:
        s = s[1:]
    return s


# --------------------------------------------------------------------------------------------
# The model being built.


class Model:
    def __init__(self, name):
        self.name = name
        self.assets = []  # dicts
        self.links = []
        self.reqs = {}  # (consumer, group) -> dict(type, need, backup, rows=[(provider, probability, type)])
        self.req_order = []
        self.ids = set()
        self.by_id = {}

    def asset(self, aid, sector, kind, role, owner, pos, population=0, priority=0):
        assert aid not in self.ids, aid
        self.ids.add(aid)
        a = dict(id=aid, sector=sector, kind=kind, role=role, owner=owner, pos=pos,
                 population=int(population), priority=priority, zone=None)
        self.assets.append(a)
        self.by_id[aid] = a
        return a

    def link(self, lid, sector, a, b, kind, directed=False, owner=None, priority=0):
        assert lid not in self.ids, lid
        assert a != b
        A, B = self.by_id[a], self.by_id[b]
        assert A["sector"] == sector and B["sector"] == sector, (lid, a, b)
        self.ids.add(lid)
        l = dict(id=lid, sector=sector, frm=a, to=b, kind=kind, directed=directed,
                 owner=owner or A["owner"], priority=priority, zone=None,
                 pos=((A["pos"][0] + B["pos"][0]) / 2, (A["pos"][1] + B["pos"][1]) / 2),
                 length=dist(A["pos"], B["pos"]))
        self.links.append(l)
        return l

    def require(self, consumer, group, providers, dtype="physical", need="any", backup=0,
                probability=1.0):
        """One requirement: rows (consumer, provider, group) sharing need and backup_hours."""
        key = (consumer, group)
        if key not in self.reqs:
            self.reqs[key] = dict(need=need, backup=backup, rows=[])
            self.req_order.append(key)
        r = self.reqs[key]
        assert r["need"] == need and r["backup"] == backup, key
        seen = {p for p, _, _ in r["rows"]}
        for p in providers:
            if p == consumer or p in seen:
                continue
            seen.add(p)
            r["rows"].append((p, probability, dtype))


# --------------------------------------------------------------------------------------------
# Municipality synthesis.



class Municipality:
    """Builds one municipality. Every random draw goes through a stage-specific rng."""

    def __init__(self, name, seed, lat, lon, population):
        self.name = name
        self.title = name[:1].upper() + name[1:]
        self.seed = seed
        self.population = population
        self.frame = Frame(lat, lon)
        master = random.Random(seed)
        stages = ["layout", "people", "zones", "power", "water", "wastewater", "fuel", "telecom",
                  "transport", "services", "flood"]
        self.rng = {s: random.Random(master.getrandbits(64)) for s in stages}
        self.s = min(1.3, max(0.45, math.sqrt(population / 150000.0)))
        self.W = 12.0 * self.s
        self.H = 10.0 * self.s
        self.big = population >= 80000
        self.m = Model(name)
        t = self.title
        if self.big:
            self.own = dict(tso="OberrheinGrid", power=f"{t}Power", water=f"{t}Water",
                            wastewater=f"{t}Wastewater", fuel="OberrheinFuel", telecom="TelcoNet",
                            roads="RoadAuthority", health="HealthTrust", emergency="EmergencyServices",
                            police="StatePolice", city=f"CityOf{t}")
        else:
            u = f"{t}Utilities"
            self.own = dict(tso="OberrheinGrid", power=u, water=u, wastewater=u, fuel="OberrheinFuel",
                            telecom="TelcoNet", roads="RoadAuthority", health="HealthTrust",
                            emergency="EmergencyServices", police="StatePolice", city=f"CityOf{t}")

    # ---- layout: river and flood-plain widths ------------------------------------------------
    def layout(self):
        r = self.rng["layout"]
        s = self.s
        self.river_p = dict(
            y0=-0.5 * s + r.uniform(-0.2, 0.2) * s,
            a1=0.5 * s, l1=7.0 * s * r.uniform(0.9, 1.1), p1=r.uniform(0, 2 * math.pi),
            a2=0.12 * s, l2=2.3 * s * r.uniform(0.9, 1.1), p2=r.uniform(0, 2 * math.pi),
            ln=r.uniform(5, 9) * s, pn=r.uniform(0, 2 * math.pi),
            ls=r.uniform(5, 9) * s, ps=r.uniform(0, 2 * math.pi))
        self.wscale = 0.6 + 0.4 * s

    def river(self, x):
        p = self.river_p
        return (p["y0"] + p["a1"] * math.sin(2 * math.pi * x / p["l1"] + p["p1"])
                + p["a2"] * math.sin(2 * math.pi * x / p["l2"] + p["p2"]))

    def wn(self, x):  # north flood-plain width factor
        p = self.river_p
        return self.wscale * (0.85 + 0.25 * math.sin(2 * math.pi * x / p["ln"] + p["pn"]))

    def ws(self, x):  # south flood-plain width factor
        p = self.river_p
        return self.wscale * (1.10 + 0.30 * math.sin(2 * math.pi * x / p["ls"] + p["ps"]))

    def side(self, pt):
        return 1 if pt[1] >= self.river(pt[0]) else -1

    def rdist(self, pt):  # vertical distance to the river line, km
        return abs(pt[1] - self.river(pt[0]))

    def inside(self, pt, margin=0.0):
        return (abs(pt[0]) <= self.W / 2 - margin) and (abs(pt[1]) <= self.H / 2 - margin)

    # ---- people ------------------------------------------------------------------------------
    def people(self):
        r = self.rng["people"]
        s = self.s
        c = 0.2
        self.cell = c
        nx, ny = int(round(self.W / c)), int(round(self.H / c))
        cx = r.uniform(-0.3, 0.3) * s
        self.centre = (cx, self.river(cx) + 1.5 * s)
        bumps = [(self.centre, 1.0, 1.6 * s)]
        for _ in range(max(1, int(round(4 * s)))):
            while True:
                p = (r.uniform(-0.38, 0.38) * self.W, r.uniform(-0.38, 0.38) * self.H)
                if self.rdist(p) > 0.6 and dist(p, self.centre) > 2.0 * s:
                    break
            bumps.append((p, r.uniform(0.3, 0.6), r.uniform(0.5, 0.8) * s))
        self.bumps = bumps
        self.nx, self.ny = nx, ny
        cells = []
        for j in range(ny):
            for i in range(nx):
                p = (-self.W / 2 + (i + 0.5) * c, self.H / 2 - (j + 0.5) * c)
                d = 0.03
                for (q, amp, sig) in bumps:
                    d += amp * math.exp(-dist(p, q) ** 2 / (2 * sig * sig))
                rd = self.rdist(p)
                if rd < 0.1:
                    d = 0.0
                elif rd < 0.3:
                    d *= 0.4
                cells.append([p, d])
        tot = sum(d for _, d in cells)
        exact = [self.population * d / tot for _, d in cells]
        pops = [int(math.floor(e)) for e in exact]
        rest = self.population - sum(pops)
        order = sorted(range(len(cells)), key=lambda k: (-(exact[k] - pops[k]), k))
        for k in order[:rest]:
            pops[k] += 1
        self.cells = [(cells[k][0], pops[k]) for k in range(len(cells)) if pops[k] > 0]
        self.grid = {(k % nx, k // nx): pops[k] for k in range(len(cells))}
        self.cell_pop_dense = 1000 * c * c  # people per cell at 1,000 inhabitants per km2

    def density_at(self, p):
        i = int(math.floor((p[0] + self.W / 2) / self.cell))
        j = int(math.floor((self.H / 2 - p[1]) / self.cell))
        return self.grid.get((i, j), 0)

    def place_by_pop(self, n, r, jitter=None):
        """n points spread proportionally to population, jittered inside their cells."""
        c = self.cell if jitter is None else jitter
        exact = [n * pop / self.population for _, pop in self.cells]
        counts = [int(math.floor(e)) for e in exact]
        rest = n - sum(counts)
        order = sorted(range(len(self.cells)), key=lambda k: (-(exact[k] - counts[k]), k))
        for k in order[:rest]:
            counts[k] += 1
        pts = []
        for k, (p, _) in enumerate(self.cells):
            for _ in range(counts[k]):
                q = (p[0] + r.uniform(-c / 2, c / 2), p[1] + r.uniform(-c / 2, c / 2))
                if self.rdist(q) < 0.08:  # keep out of the river channel
                    q = (q[0], self.river(q[0]) + 0.08 * self.side(q))
                pts.append(q)
        return pts

    def kmeans(self, k, r, iters=12, cells=None):
        """Weighted Lloyd iterations over population cells; deterministic with r."""
        cells = self.cells if cells is None else cells
        idx = list(range(len(cells)))
        weights = [pop for _, pop in cells]
        centres = []
        chosen = set()
        while len(centres) < k:
            t = r.uniform(0, sum(weights))
            acc = 0.0
            for i in idx:
                acc += weights[i]
                if acc >= t:
                    break
            if i in chosen:
                continue
            chosen.add(i)
            centres.append(cells[i][0])
        for _ in range(iters):
            sx = [0.0] * k
            sy = [0.0] * k
            sw = [0.0] * k
            for (p, w) in cells:
                j = min(range(k), key=lambda jj: ((p[0] - centres[jj][0]) ** 2 + (p[1] - centres[jj][1]) ** 2, jj))
                sx[j] += w * p[0]
                sy[j] += w * p[1]
                sw[j] += w
            centres = [(sx[j] / sw[j], sy[j] / sw[j]) if sw[j] > 0 else centres[j] for j in range(k)]
        # stable order: north to south, then west to east
        centres.sort(key=lambda p: (-round(p[1], 6), round(p[0], 6)))
        return [self.off_river(p) for p in centres]

    def off_river(self, p, min_d=0.12):
        if self.rdist(p) < min_d:
            return (p[0], self.river(p[0]) + min_d * self.side(p))
        return p

    def catchment(self, pts, weight=None, cells_filter=None):
        """People per point: every populated cell goes to its nearest point."""
        out = [0] * len(pts)
        for (p, pop) in self.cells:
            if cells_filter is not None and not cells_filter(p, pop):
                continue
            j = min(range(len(pts)), key=lambda i: (dist(p, pts[i]) * (weight[i] if weight else 1.0), i))
            out[j] += pop
        return out

    # ---- zones --------------------------------------------------------------------------------
    def zones(self):
        r = self.rng["zones"]
        k = max(4, int(round(10 * self.s)))
        self.zone_centres = self.kmeans(k, r)
        self.zone_ids = [f"Z{i + 1:02d}" for i in range(k)]

    def zone_of(self, p):
        return self.zone_ids[nearest(p, self.zone_centres)[0]]

    # ---- helpers ------------------------------------------------------------------------------
    def generator(self, site, tank_hours, depots):
        """A standby generator at a site: a power source with no links that needs fuel."""
        a = self.m.by_id[site]
        gid = "GEN-" + site
        self.m.asset(gid, "power", "standby_generator", "source", a["owner"],
                     (a["pos"][0] + 0.015, a["pos"][1] + 0.010), 0, a["priority"])
        if a["sector"] != "fuel":  # generators at depots and stations run on their own stock
            self.m.require(gid, "fuel", depots, "physical", "any", tank_hours)
        return gid

    def ds_near(self, p, k=1):
        return [self.ds_ids[i] for i in nearest(p, self.ds_pos, k)]

    # ---- power --------------------------------------------------------------------------------
    def power(self):
        r = self.rng["power"]
        m, o = self.m, self.own
        W, H = self.W, self.H
        # in-feeds from the transmission grid
        ts_pos = [(-W / 2 + 1.0 * self.s + r.uniform(-0.2, 0.2), H / 2 - 1.4 * self.s + r.uniform(-0.2, 0.2))]
        if self.big:
            x = W / 2 - 1.3 * self.s
            ts_pos.append((x + r.uniform(-0.2, 0.2), self.river(x) - 1.6 * self.s))
        self.ts_ids = []
        for i, p in enumerate(ts_pos):
            aid = f"PWR-TS{i + 1:02d}"
            m.asset(aid, "power", "transmission_substation", "source", o["tso"], p, 0, 10)
            self.ts_ids.append(aid)
        # local generation on the river bank (combined heat and power, or small hydro)
        x = 0.25 * W if self.big else -0.1 * W
        chp = (x, self.river(x) + 0.22 * self.side((x, self.river(x) + 1)))
        self.plant_id = "PWR-PLANT01"
        m.asset(self.plant_id, "power", "power_plant", "source", o["power"], chp, 0, 8)
        # primary substations
        n_ss = max(2, int(round(self.population / 19000)))
        ss_pos = self.kmeans(n_ss, r)
        self.ss_ids = []
        for i, p in enumerate(ss_pos):
            aid = f"PWR-SS{i + 1:02d}"
            m.asset(aid, "power", "substation", "node", o["power"], p, 0, 9)
            self.ss_ids.append(aid)
        # 110 kV: ring through the primaries, in-feeds and plant to their two nearest primaries
        ang = sorted(range(n_ss), key=lambda i: (math.atan2(ss_pos[i][1] - self.centre[1], ss_pos[i][0] - self.centre[0]), i))
        pairs = []
        for a, b in zip(ang, ang[1:] + ang[:1]):
            if a != b:
                pairs.append((self.ss_ids[a], self.ss_ids[b]))
        for aid, p in list(zip(self.ts_ids, ts_pos)) + [(self.plant_id, chp)]:
            for j in nearest(p, ss_pos, 2):
                pairs.append((aid, self.ss_ids[j]))
        seen = set()
        n = 0
        for a, b in pairs:
            key = tuple(sorted((a, b)))
            if key in seen:
                continue
            seen.add(key)
            n += 1
            m.link(f"L-HV-{n:03d}", "power", a, b, "hv_line", owner=o["power"], priority=7)
        # distribution substations (MV/LV), about one per 130 residents
        n_ds = max(20, int(round(self.population / 130)))
        pts = self.place_by_pop(n_ds, r)
        pts.sort(key=lambda p: (-round(p[1], 6), round(p[0], 6)))
        pops = self.catchment(pts)
        self.ds_ids, self.ds_pos = [], []
        for i, p in enumerate(pts):
            aid = f"PWR-DS{i + 1:04d}"
            m.asset(aid, "power", "distribution_substation", "node", o["power"], p, pops[i], 2)
            self.ds_ids.append(aid)
            self.ds_pos.append(p)
        # MV feeders: open rings from each primary, closed at some normally-open points
        home = [nearest(p, ss_pos)[0] for p in pts]
        nl = 0

        def mv(a, b):
            nonlocal nl
            nl += 1
            pa, pb = m.by_id[a]["pos"], m.by_id[b]["pos"]
            mid = ((pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2)
            urban = self.density_at(mid) >= 1.5 * self.cell_pop_dense or dist(mid, self.centre) < 2.0 * self.s
            kind = "mv_line" if urban else "mv_overhead_line"
            m.link(f"L-MV-{nl:04d}", "power", a, b, kind, owner=o["power"], priority=3)

        feeder_ends = {}
        for si, sid in enumerate(self.ss_ids):
            mine = [i for i in range(n_ds) if home[i] == si]
            c = ss_pos[si]
            mine.sort(key=lambda i: (math.atan2(pts[i][1] - c[1], pts[i][0] - c[0]), i))
            nf = max(1, int(math.ceil(len(mine) / 12)))
            feeders = [mine[k * len(mine) // nf:(k + 1) * len(mine) // nf] for k in range(nf)]
            ends = []
            for f in feeders:
                if not f:
                    continue
                left = set(f)
                cur = c
                prev = sid
                chain = []
                while left:
                    j = min(left, key=lambda i: (dist(cur, pts[i]), i))
                    left.discard(j)
                    mv(prev, self.ds_ids[j])
                    prev = self.ds_ids[j]
                    cur = pts[j]
                    chain.append(j)
                if len(chain) > 1:  # open ring back to the primary (switching restores sections)
                    mv(prev, sid)
                ends.append(chain[-1])
            feeder_ends[si] = ends
            for k in range(len(ends)):
                if len(ends) > 1 and r.random() < 0.3:
                    a, b = ends[k], ends[(k + 1) % len(ends)]
                    if a != b:
                        mv(self.ds_ids[a], self.ds_ids[b])
        # ties between neighbouring primaries: the closest pair of their substations
        tied = set()
        for a, b in zip(ang, ang[1:] + ang[:1]):
            if a == b or (min(a, b), max(a, b)) in tied:
                continue
            tied.add((min(a, b), max(a, b)))
            A = [i for i in range(n_ds) if home[i] == a]
            B = [i for i in range(n_ds) if home[i] == b]
            if not A or not B:
                continue
            best = min(((dist(pts[i], pts[j]), i, j) for i in A for j in B))
            mv(self.ds_ids[best[1]], self.ds_ids[best[2]])
        self.ss_pos = ss_pos

    # ---- telecom and SCADA --------------------------------------------------------------------
    def telecom(self):
        r = self.rng["telecom"]
        m, o = self.m, self.own
        cores = [(self.centre[0] + 0.2, self.centre[1] + 0.1)]
        if self.big:
            cores.append((0.22 * self.W, self.H / 2 - 1.8 * self.s))
        self.core_ids = []
        for i, p in enumerate(cores):
            aid = f"TEL-CORE{i + 1:02d}"
            m.asset(aid, "telecom", "core_exchange", "source", o["telecom"], self.off_river(p, 0.5), 0, 9)
            self.core_ids.append(aid)
        n_agg = max(3, int(round(self.population / 15000)))
        agg = self.kmeans(n_agg, r)
        self.agg_ids, self.agg_pos = [], agg
        for i, p in enumerate(agg):
            aid = f"TEL-AGG{i + 1:02d}"
            m.asset(aid, "telecom", "aggregation_node", "node", o["telecom"], p, 0, 6)
            self.agg_ids.append(aid)
        # fibre ring through exchanges and aggregation nodes
        ring = [(aid, m.by_id[aid]["pos"]) for aid in self.core_ids + self.agg_ids]
        ring.sort(key=lambda t: (math.atan2(t[1][1] - self.centre[1], t[1][0] - self.centre[0]), t[0]))
        nl = 0

        def fb(a, b):
            nonlocal nl
            nl += 1
            m.link(f"L-FB-{nl:03d}", "telecom", a, b, "fibre", owner=o["telecom"], priority=4)

        for k in range(len(ring)):
            a, b = ring[k][0], ring[(k + 1) % len(ring)][0]
            fb(a, b)
        if len(self.core_ids) > 1:
            fb(self.core_ids[0], self.core_ids[1])
        # dual homing: every aggregation node also has a direct fibre to its nearest exchange
        core_pos = [m.by_id[c]["pos"] for c in self.core_ids]
        done = {tuple(sorted((ring[k][0], ring[(k + 1) % len(ring)][0]))) for k in range(len(ring))}
        for aid, p in zip(self.agg_ids, agg):
            c = self.core_ids[nearest(p, core_pos)[0]]
            if tuple(sorted((aid, c))) not in done:
                fb(c, aid)
        # cell towers: about one per 1,100 residents, plus rural coverage
        n_cell = max(8, int(round(self.population / 1100)))
        cells = self.place_by_pop(n_cell, r, jitter=self.cell * 0.8)
        step = 1.6
        gx = int(self.W // step)
        gy = int(self.H // step)
        for j in range(gy):
            for i in range(gx):
                p = (-self.W / 2 + (i + 0.5) * self.W / gx, self.H / 2 - (j + 0.5) * self.H / gy)
                if min(dist(p, q) for q in cells) > 1.2:
                    cells.append(self.off_river((p[0] + r.uniform(-0.2, 0.2), p[1] + r.uniform(-0.2, 0.2))))
        cells.sort(key=lambda p: (-round(p[1], 6), round(p[0], 6)))
        pops = self.catchment(cells)
        self.cell_ids, self.cell_pos = [], cells
        for i, p in enumerate(cells):
            aid = f"TEL-CELL{i + 1:03d}"
            m.asset(aid, "telecom", "cell_tower", "consumer", o["telecom"], p, pops[i], 4)
            self.cell_ids.append(aid)
            near = nearest(p, agg, 2)
            fb(self.agg_ids[near[0]], aid)
            if len(near) > 1 and r.random() < 0.25:
                fb(self.agg_ids[near[1]], aid)
        # SCADA control centres (sector ict, supply none)
        if self.big:
            sc = [("ICT-SCADA-P1", o["power"], m.by_id[self.ss_ids[nearest(self.centre, self.ss_pos)[0]]]["pos"]),
                  ("ICT-SCADA-P2", o["power"], m.by_id[self.ts_ids[0]]["pos"]),
                  ("ICT-SCADA-W1", o["water"], None)]
        else:
            sc = [("ICT-SCADA-U1", o["power"], m.by_id[self.ss_ids[0]]["pos"])]
        self.scada = []
        for aid, owner, p in sc:
            self.scada.append((aid, owner, p))

    def place_scada(self):
        m = self.m
        for aid, owner, p in self.scada:
            if p is None:
                p = m.by_id[self.tp_ids[0]]["pos"]
            q = (p[0] + 0.05, p[1] + 0.04)
            m.asset(aid, "ict", "scada_control_centre", "node", owner, q, 0, 9)
        if self.big:
            self.scada_power = ["ICT-SCADA-P1", "ICT-SCADA-P2"]
            self.scada_water = ["ICT-SCADA-W1"]
        else:
            self.scada_power = ["ICT-SCADA-U1"]
            self.scada_water = ["ICT-SCADA-U1"]

    # ---- water --------------------------------------------------------------------------------
    def water(self):
        r = self.rng["water"]
        m, o = self.m, self.own
        W, H, s = self.W, self.H, self.s
        fields = []
        # bank-filtration well field on the north flood plain (west)
        xb = -0.30 * W
        fields.append([(xb + k * 0.25 * s + r.uniform(-0.05, 0.05),
                        self.river(xb + k * 0.25 * s) + r.uniform(0.2, 0.45) * self.wn(xb)) for k in range(6 if self.big else 3)])
        if self.big:  # upland well field (north-east)
            xa, ya = 0.12 * W, H / 2 - 1.0 * s
            fields.append([(xa + r.uniform(-0.5, 0.5), ya + r.uniform(-0.3, 0.3)) for _ in range(6)])
        tp_pos = [(xb + 0.4 * s, self.river(xb + 0.4 * s) + 1.0 * self.wn(xb) + 0.35)]
        if self.big:
            tp_pos.append((0.30 * W, H / 2 - 1.6 * s))
        self.tp_ids = []
        for i, p in enumerate(tp_pos):
            aid = f"WAT-TP{i + 1:02d}"
            m.asset(aid, "water", "treatment_plant", "node", o["water"], p, 0, 9)
            self.tp_ids.append(aid)
        nl = 0

        def wm(a, b, directed=False):
            nonlocal nl
            nl += 1
            m.link(f"L-WM-{nl:04d}", "water", a, b, "water_main", directed=directed, owner=o["water"], priority=4)

        self.well_ids = []
        nw = 0
        for fi, field in enumerate(fields):
            for p in field:
                nw += 1
                aid = f"WAT-WELL{nw:02d}"
                m.asset(aid, "water", "water_source", "source", o["water"], p, 0, 6)
                self.well_ids.append(aid)
                wm(aid, self.tp_ids[min(fi, len(self.tp_ids) - 1)], directed=True)
        self.intake_ids = []
        if self.big:
            x = 0.40 * W
            p = (x, self.river(x) + 0.05)
            m.asset("WAT-INTAKE01", "water", "river_intake", "source", o["water"], p, 0, 6)
            self.intake_ids.append("WAT-INTAKE01")
            wm("WAT-INTAKE01", self.tp_ids[-1], directed=True)
        if len(self.tp_ids) > 1:
            wm(self.tp_ids[0], self.tp_ids[1])  # transmission main between the plants
        # water towers / elevated reservoirs on the hills, away from the river
        n_tw = max(1, int(round(self.population / 40000)))
        tw = []
        for p in self.kmeans(n_tw, r):
            if self.rdist(p) < 1.2 * s:
                p = (p[0], self.river(p[0]) + 1.2 * s * self.side(p))
            tw.append(p)
        self.tower_ids = []
        for i, p in enumerate(tw):
            aid = f"WAT-TOWER{i + 1:02d}"
            m.asset(aid, "water", "water_tower", "node", o["water"], p, 0, 6)
            self.tower_ids.append(aid)
        # pump stations: a high-lift station at each plant (direct-pumped low zone) and boosters
        ps = []
        for i, p in enumerate(tp_pos):
            ps.append(("direct", i, (p[0] + 0.06, p[1] - 0.05)))
        per = 2 if self.big else 1
        for i, p in enumerate(tw):
            t = tp_pos[nearest(p, tp_pos)[0]]
            for k in range(per):
                f = 0.35 + 0.2 * k
                ps.append(("booster", i, (p[0] + (t[0] - p[0]) * f + r.uniform(-0.3, 0.3),
                                          p[1] + (t[1] - p[1]) * f + r.uniform(-0.3, 0.3))))
        self.ps_ids, self.ps_pos = [], []
        for k, (typ, i, p) in enumerate(ps):
            aid = f"WAT-PS{k + 1:02d}"
            m.asset(aid, "water", "pump_station", "node", o["water"], p, 0, 7)
            self.ps_ids.append(aid)
            self.ps_pos.append(p)
            if typ == "direct":
                wm(self.tp_ids[i], aid)
            else:
                wm(self.tp_ids[nearest(p, tp_pos)[0]], aid)
        # towers: main from the nearest plant and one to the nearest other tower; pumping requirement
        for i, p in enumerate(tw):
            wm(self.tp_ids[nearest(p, tp_pos)[0]], self.tower_ids[i])
        done = set()
        for i, p in enumerate(tw):
            others = [j for j in range(len(tw)) if j != i]
            if others:
                j = min(others, key=lambda jj: (dist(p, tw[jj]), jj))
                key = tuple(sorted((i, j)))
                if key not in done:
                    done.add(key)
                    wm(self.tower_ids[i], self.tower_ids[j])
        boosters = [k for k, t in enumerate(ps) if t[0] == "booster"]
        for i, p in enumerate(tw):
            own = [k for k in boosters if ps[k][1] == i]
            rest = [k for k in range(len(ps)) if k not in own]
            extra = nearest(p, [ps[k][2] for k in rest], 1)
            prov = own + [rest[e] for e in extra]
            need = 2 if len(prov) >= 3 else "any"
            self.m.require(self.tower_ids[i], "pumping", [self.ps_ids[k] for k in prov], "physical", need, 24)
        # district metered areas, about one per 900 residents; zone heads: towers and direct stations
        n_dma = max(10, int(round(self.population / 900)))
        pts = self.place_by_pop(n_dma, r)
        pts.sort(key=lambda p: (-round(p[1], 6), round(p[0], 6)))
        pops = self.catchment(pts)
        heads = [(self.tower_ids[i], p, 1.0) for i, p in enumerate(tw)]
        heads += [(self.ps_ids[k], ps[k][2], 2.2) for k in range(len(tp_pos))]
        self.dma_ids, self.dma_pos = [], pts
        for i, p in enumerate(pts):
            aid = f"WAT-DMA{i + 1:03d}"
            m.asset(aid, "water", "district_meter", "node", o["water"], p, pops[i], 3)
            self.dma_ids.append(aid)
        zone_of = [min(range(len(heads)), key=lambda h: (dist(p, heads[h][1]) * heads[h][2], h)) for p in pts]
        for h, (hid, hp, _) in enumerate(heads):
            members = [i for i in range(len(pts)) if zone_of[i] == h]
            # Prim tree from the head over its DMAs
            best = {i: (dist(hp, pts[i]), hid) for i in members}
            while best:
                i = min(best, key=lambda k: (best[k][0], k))
                d, parent = best.pop(i)
                wm(parent, self.dma_ids[i])
                for j in best:
                    dj = dist(pts[i], pts[j])
                    if dj < best[j][0]:
                        best[j] = (dj, self.dma_ids[i])
            # a few loops (meshed distribution)
            linked = set()
            for i in members:
                if r.random() < 0.25:
                    others = [j for j in members if j != i]
                    if not others:
                        continue
                    near2 = sorted(others, key=lambda j: (dist(pts[i], pts[j]), j))[:3]
                    j = near2[-1]
                    key = tuple(sorted((i, j)))
                    if key not in linked:
                        linked.add(key)
                        wm(self.dma_ids[i], self.dma_ids[j])
        self.tp_pos = tp_pos

    # ---- wastewater ---------------------------------------------------------------------------
    def wastewater(self, wwtp_pos):
        r = self.rng["wastewater"]
        m, o = self.m, self.own
        W, s = self.W, self.s
        m.asset("WW-WWTP01", "wastewater", "wastewater_plant", "source", o["wastewater"], wwtp_pos, 0, 8)
        nl = 0

        def sw(a, b):
            nonlocal nl
            nl += 1
            m.link(f"L-SW-{nl:04d}", "wastewater", a, b, "sewer_main", owner=o["wastewater"], priority=2)

        # trunk lift stations on both banks of the flood plain, east of the plant
        n_tr = max(3, int(round(W / 1.3)))
        xs = [W / 2 - 0.6 - k * (W - 1.2) / (n_tr - 1) for k in range(n_tr)]
        self.ls_ids, self.ls_pos, ls_side = [], [], []
        n = 0
        trunks = {}
        for bank in (1, -1):
            chain = []
            for x in xs:
                if x < wwtp_pos[0] + 0.3:
                    continue
                w = self.wn(x) if bank == 1 else self.ws(x)
                p = (x + r.uniform(-0.15, 0.15), self.river(x) + bank * r.uniform(0.4, 0.75) * w)
                n += 1
                aid = f"WW-LS{n:02d}"
                m.asset(aid, "wastewater", "lift_station", "node", o["wastewater"], p, 0, 5)
                self.ls_ids.append(aid)
                self.ls_pos.append(p)
                ls_side.append(bank)
                chain.append(aid)
            trunks[bank] = chain
        # each trunk station lifts its district into the gravity interceptor, which is not an
        # asset: the station is joined to the plant directly (the north bank by a siphon)
        for bank, chain in trunks.items():
            for a in chain:
                sw(a, "WW-WWTP01")
        self.trunk_ls = list(self.ls_ids)
        # secondary lift stations in the districts
        n_sec = max(3, int(round(self.population / 6000)))
        for p in self.kmeans(n_sec, r):
            n += 1
            aid = f"WW-LS{n:02d}"
            m.asset(aid, "wastewater", "lift_station", "node", o["wastewater"], p, 0, 4)
            bank = self.side(p)
            sw(aid, "WW-WWTP01")  # lifts into the gravity interceptor like the trunk stations
            self.ls_ids.append(aid)
            self.ls_pos.append(p)
            ls_side.append(bank)
        # catchments: connected residents; the sparsest cells holding 4% of the people use septic tanks
        n_ca = max(10, int(round(self.population / 800)))
        pts = self.place_by_pop(n_ca, r)
        pts.sort(key=lambda p: (-round(p[1], 6), round(p[0], 6)))
        septic, acc = set(), 0
        for k in sorted(range(len(self.cells)), key=lambda k: (self.cells[k][1], k)):
            if acc + self.cells[k][1] > 0.04 * self.population:
                break
            acc += self.cells[k][1]
            septic.add(self.cells[k][0])
        pops = self.catchment(pts, cells_filter=lambda p, pop: p not in septic)
        self.ca_ids, self.ca_pos = [], pts
        for i, p in enumerate(pts):
            aid = f"WW-CA{i + 1:03d}"
            m.asset(aid, "wastewater", "sewer_catchment", "consumer", o["wastewater"], p, pops[i], 2)
            self.ca_ids.append(aid)
            bank = self.side(p)
            cand = [k for k in range(len(self.ls_ids)) if ls_side[k] == bank] or list(range(len(self.ls_ids)))
            k = min(cand, key=lambda kk: (dist(p, self.ls_pos[kk]), kk))
            if bank == -1 and dist(p, wwtp_pos) < dist(p, self.ls_pos[k]):
                sw("WW-WWTP01", aid)
            else:
                sw(self.ls_ids[k], aid)

    # ---- fuel ---------------------------------------------------------------------------------
    def fuel(self):
        r = self.rng["fuel"]
        m, o = self.m, self.own
        W, s = self.W, self.s
        depots = []
        if self.big:
            x = -0.15 * W
            depots.append((x, self.river(x) + 0.45 * self.wn(x)))  # river port tank farm
            x = 0.35 * W
            depots.append((x, self.river(x) + 2.0 * s))  # small depot in the eastern industrial area
        else:
            x = 0.2 * W
            depots.append((x, self.river(x) + 1.5 * s))
        self.depot_ids = []
        for i, p in enumerate(depots):
            aid = f"FUE-DEPOT{i + 1:02d}"
            m.asset(aid, "fuel", "fuel_depot", "source", o["fuel"], p, 0, 7)
            self.depot_ids.append(aid)
        n_fs = max(4, int(round(self.population / 5000)))
        fs = self.kmeans(n_fs, r)
        pops = self.catchment(fs)
        self.fs_ids = []
        nl = 0
        for i, p in enumerate(fs):
            aid = f"FUE-FS{i + 1:02d}"
            m.asset(aid, "fuel", "filling_station", "consumer", o["fuel"], p, pops[i], 2)
            self.fs_ids.append(aid)
            for d in self.depot_ids:
                nl += 1
                m.link(f"L-FR-{nl:03d}", "fuel", d, aid, "fuel_route", directed=True, owner=o["fuel"], priority=3)
        self.fs_pos = fs

    # ---- transport ----------------------------------------------------------------------------
    def transport(self):
        r = self.rng["transport"]
        m, o = self.m, self.own
        W, H, s = self.W, self.H, self.s
        g = 0.22
        nx, ny = int(W / g) + 1, int(H / g) + 1
        x0, y0 = -(nx - 1) * g / 2, (ny - 1) * g / 2
        node = {}
        rural = 3 * self.cell * self.cell * 100  # under ~300 inhabitants per km2
        for j in range(ny):
            for i in range(nx):
                p = (x0 + i * g + r.uniform(-0.03, 0.03), y0 - j * g + r.uniform(-0.03, 0.03))
                if self.rdist(p) < 0.07:
                    continue
                keep = r.random()
                if self.density_at(p) < rural and keep < 0.35:
                    continue
                node[(i, j)] = p
        n_br = max(2, int(round(7 * s)))
        cols = sorted({min(nx - 2, max(1, int(round((-0.42 * W + k * 0.84 * W / (n_br - 1) + r.uniform(-0.3, 0.3) - x0) / g))))
                       for k in range(n_br)})
        edges = []
        bridges = []
        for (i, j) in sorted(node, key=lambda t: (t[1], t[0])):
            p = node[(i, j)]
            for di, dj in ((1, 0), (0, 1)):
                for step in (1, 2):  # a missing rural junction is bridged by a longer segment
                    q = (i + di * step, j + dj * step)
                    if q in node:
                        break
                else:
                    continue
                pq = node[q]
                if self.side(p) != self.side(pq):
                    if dj == 1 and i in cols:
                        bridges.append(((i, j), q))
                    continue
                edges.append(((i, j), q))
        # union-find to keep the largest component (bridges included)
        parent = {k: k for k in node}

        def find(a):
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        for a, b in edges + bridges:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        comp = {}
        for k in node:
            comp.setdefault(find(k), []).append(k)
        main = max(comp.values(), key=lambda v: (len(v), [-t for t in min(v)]))
        keep = set(main)
        order = sorted(keep, key=lambda t: (t[1], t[0]))
        # the main road crosses the flood plain on an embankment at the bridge column nearest
        # the centre: its junctions and segments there are raised above the surrounding ground
        bcols = sorted({a[0] for a, b in bridges if a in keep and b in keep})
        main_col = min(bcols, key=lambda c: (abs(x0 + c * g - self.centre[0]), c)) if bcols else None
        raised = {k for k in keep if k[0] == main_col
                  and self.rdist(node[k]) < 1.0 * max(self.wn(node[k][0]), self.ws(node[k][0]))}
        jid = {}
        self.j_ids, self.j_pos = [], []
        for n, k in enumerate(order):
            aid = f"TRN-J{n + 1:04d}"
            jid[k] = aid
            m.asset(aid, "transport", "raised_junction" if k in raised else "road_junction", "node",
                    o["roads"], node[k], 0, 3 if k in raised else 1)
            self.j_ids.append(aid)
            self.j_pos.append(node[k])
        nl = 0

        def rd(a, b, kind="road"):
            nonlocal nl
            nl += 1
            m.link(f"L-RD-{nl:04d}", "transport", a, b, kind, owner=o["roads"], priority=3 if kind != "road" else 1)

        for a, b in edges:
            if a in keep and b in keep:
                up = a in raised and b in raised and a[0] == b[0]
                rd(jid[a], jid[b], "raised_road" if up else "road")
        self.bridge_ids, self.bridge_pos = [], []
        for n, (a, b) in enumerate(bridges):
            if a not in keep or b not in keep:
                continue
            pa, pb = node[a], node[b]
            x = (pa[0] + pb[0]) / 2
            p = (x, self.river(x))
            aid = f"TRN-BR{len(self.bridge_ids) + 1:02d}"
            m.asset(aid, "transport", "bridge", "node", o["roads"], p, 0, 6)
            self.bridge_ids.append(aid)
            self.bridge_pos.append(p)
            rd(jid[a], aid, "raised_road" if a in raised else "road")
            rd(aid, jid[b], "raised_road" if b in raised else "road")

    def junction_near(self, p, k=1):
        return [self.j_ids[i] for i in nearest(p, self.j_pos, k)]

    # ---- services: health, emergency, government, and all dependencies ----------------------
    def services(self):
        r = self.rng["services"]
        m, o = self.m, self.own
        depots = self.depot_ids

        def agg_near(p, k=1):
            return [self.agg_ids[i] for i in nearest(p, self.agg_pos, k)]

        def cell_near(p, k=1):
            return [self.cell_ids[i] for i in nearest(p, self.cell_pos, k)]

        def dma_near(p, k=1):
            return [self.dma_ids[i] for i in nearest(p, self.dma_pos, k)]

        def ca_near(p, k=1):
            return [self.ca_ids[i] for i in nearest(p, self.ca_pos, k)]

        P = lambda aid: m.by_id[aid]["pos"]

        # -- power: primaries and plant under SCADA; the plant's own auxiliaries
        for sid in self.ss_ids:
            m.require(sid, "scada", self.scada_power, "cyber", "any", 0, 0.4)
        m.require(self.plant_id, "scada", self.scada_power, "cyber", "any", 0, 0.4)
        # -- SCADA centres: power with generator, telecom backhaul
        for aid, _, _ in self.scada:
            gen = self.generator(aid, 48, depots)
            m.require(aid, "power", self.ds_near(P(aid), 1) + [gen], "physical", "any", 1)
            m.require(aid, "telecom", self.core_ids + agg_near(P(aid), 1), "cyber", "any", 0)
        # -- water
        for wid in self.well_ids + self.intake_ids:
            m.require(wid, "power", self.ds_near(P(wid), 1), "physical", "any", 0)
        for tid in self.tp_ids:
            gen = self.generator(tid, 48, depots)
            m.require(tid, "power", self.ds_near(P(tid), 2) + [gen], "physical", "any", 0)
            m.require(tid, "scada", self.scada_water, "cyber", "any", 12, 0.5)
        for k, pid in enumerate(self.ps_ids):
            provs = self.ds_near(P(pid), 1)
            if k % 2 == 0:  # every other pump station has a standby generator (24 h tank)
                provs.append(self.generator(pid, 24, depots))
            m.require(pid, "power", provs, "physical", "any", 0)
            m.require(pid, "scada", self.scada_water, "cyber", "any", 12, 0.8)
        # -- wastewater
        provs = self.ds_near(P("WW-WWTP01"), 2) + [self.generator("WW-WWTP01", 48, depots)]
        m.require("WW-WWTP01", "power", provs, "physical", "any", 0)
        for k, lid in enumerate(self.ls_ids):
            provs = self.ds_near(P(lid), 1)
            if lid in self.trunk_ls and k % 3 == 0:
                provs.append(self.generator(lid, 24, depots))
            m.require(lid, "power", provs, "physical", "any", 4)  # wet-well storage
        # -- fuel
        for did in self.depot_ids:
            gen = self.generator(did, 72, depots)
            m.require(did, "power", self.ds_near(P(did), 1) + [gen], "physical", "any", 0)
        for k, fid in enumerate(self.fs_ids):
            provs = self.ds_near(P(fid), 1)
            if k % 5 == 0:  # designated emergency filling stations with their own generator
                provs.append(self.generator(fid, 0, depots))
            m.require(fid, "power", provs, "physical", "any", 0)
        # -- telecom
        for cid in self.core_ids:
            gen = self.generator(cid, 48, depots)
            m.require(cid, "power", self.ds_near(P(cid), 2) + [gen], "physical", "any", 1)
        for aid in self.agg_ids:
            m.require(aid, "power", self.ds_near(P(aid), 2), "physical", "any", 8)
        for cid in self.cell_ids:
            m.require(cid, "power", self.ds_near(P(cid), 1), "physical", "any", r.choice([2, 3, 4]))

        # -- health: hospitals (acute) and clinics (primary care); half a person each
        n_h = 3 if self.population >= 100000 else 1
        hosp = self.kmeans(n_h, r)
        n_c = max(3, int(round(self.population / 6000)))
        clin = self.kmeans(n_c, r)
        hpop = self.catchment(hosp)
        cpop = self.catchment(clin)
        self.hosp_ids = []
        for i, p in enumerate(hosp):
            aid = f"HLT-HOSP{i + 1:02d}"
            m.asset(aid, "health", "hospital", "node", o["health"], p, int(round(hpop[i] / 2)), 10)
            self.hosp_ids.append(aid)
            gen = self.generator(aid, 72, depots)
            m.require(aid, "power", self.ds_near(p, 2) + [gen], "physical", "any", 0)
            m.require(aid, "water", dma_near(p, 2), "physical", "any", 24)
            m.require(aid, "telecom", agg_near(p, 1) + cell_near(p, 1), "cyber", "any", 0)
            m.require(aid, "wastewater", ca_near(p, 1), "physical", "any", 48, 0.25)
            m.require(aid, "transport", self.junction_near(p, 1), "geographic", "any", 0)
        self.clinic_ids = []
        for i, p in enumerate(clin):
            aid = f"HLT-CLIN{i + 1:02d}"
            p = (p[0] + 0.03, p[1] - 0.02)
            m.asset(aid, "health", "clinic", "node", o["health"], p, int(round(cpop[i] / 2)), 5)
            self.clinic_ids.append(aid)
            m.require(aid, "power", self.ds_near(p, 1), "physical", "any", 0)
            m.require(aid, "water", dma_near(p, 1), "physical", "any", 4)
            m.require(aid, "telecom", cell_near(p, 1), "cyber", "any", 0)

        # -- emergency: fire, police, ambulance share a third of a person each; EOC = dispatch
        n_f = max(2, int(round(self.population / 30000)))
        n_p = max(1, int(round(self.population / 50000)))
        n_a = max(1, int(round(self.population / 40000)))
        fire = self.kmeans(n_f, r)
        pol = self.kmeans(n_p, r)
        amb = self.kmeans(n_a, r)
        ho = nearest(self.centre, fire)[0]
        eoc_pos = (fire[ho][0] + 0.08, fire[ho][1] + 0.05)
        m.asset("EMG-EOC01", "emergency", "emergency_operations_centre", "node", o["emergency"], eoc_pos, 0, 10)
        gen = self.generator("EMG-EOC01", 72, depots)
        m.require("EMG-EOC01", "power", self.ds_near(eoc_pos, 2) + [gen], "physical", "any", 1)
        m.require("EMG-EOC01", "telecom", self.core_ids + agg_near(eoc_pos, 1), "cyber", "any", 0)
        m.require("EMG-EOC01", "transport", self.junction_near(eoc_pos, 1), "geographic", "any", 0)
        self.eoc_id = "EMG-EOC01"
        self.station_ids = {}
        for kind, pts, tag, owner, gen_first in (("fire_station", fire, "FIRE", o["emergency"], True),
                                                 ("police_station", pol, "POL", o["police"], True),
                                                 ("ambulance_station", amb, "AMB", o["emergency"], False)):
            pops = self.catchment(pts)
            ids = []
            for i, p in enumerate(pts):
                aid = f"EMG-{tag}{i + 1:02d}"
                m.asset(aid, "emergency", kind, "node", owner, p, int(round(pops[i] / 3)), 9)
                ids.append(aid)
                provs = self.ds_near(p, 1)
                if (i == 0 and gen_first) or (kind == "fire_station" and i == ho):
                    provs.append(self.generator(aid, 72, depots))
                m.require(aid, "power", provs, "physical", "any", 0)
                m.require(aid, "telecom", agg_near(p, 1) + cell_near(p, 1), "cyber", "any", 0)
                m.require(aid, "fuel", depots, "physical", "any", 72 if kind != "ambulance_station" else 48)
                if kind != "police_station":
                    m.require(aid, "dispatch", ["EMG-EOC01"], "logical", "any", 0)
            self.station_ids[kind] = ids
        # transport access: the ambulance station nearest a bridge needs its junction AND the bridge
        amb_ids = self.station_ids["ambulance_station"]
        if self.bridge_ids:
            k = min(range(len(amb)), key=lambda i: (min(dist(amb[i], b) for b in self.bridge_pos), i))
        else:
            k = -1
        for kind, ids in sorted(self.station_ids.items()):
            for aid in ids:
                p = P(aid)
                if kind == "ambulance_station" and aid == amb_ids[k]:
                    b = self.bridge_ids[nearest(p, self.bridge_pos)[0]]
                    m.require(aid, "transport", self.junction_near(p, 1) + [b], "geographic", "all", 0)
                else:
                    m.require(aid, "transport", self.junction_near(p, 1), "geographic", "any", 0)

        # -- government: town hall and emergency shelters (sport halls)
        hall = (self.centre[0] - 0.1, self.centre[1] + 0.05)
        m.asset("GOV-HALL01", "government", "town_hall", "node", o["city"], hall, 0, 5)
        gen = self.generator("GOV-HALL01", 48, depots)
        m.require("GOV-HALL01", "power", self.ds_near(hall, 1) + [gen], "physical", "any", 0)
        m.require("GOV-HALL01", "telecom", agg_near(hall, 1), "cyber", "any", 0)
        n_sh = max(2, int(round(self.population / 15000)))
        for i, p in enumerate(self.kmeans(n_sh, r)):
            aid = f"GOV-SHELTER{i + 1:02d}"
            p = (p[0] - 0.04, p[1] + 0.03)
            m.asset(aid, "government", "emergency_shelter", "node", o["city"], p, 0, 3)
            m.require(aid, "power", self.ds_near(p, 1), "physical", "any", 0)
            m.require(aid, "water", dma_near(p, 1), "physical", "any", 0)

    # ---- flood footprint (100-year) -------------------------------------------------------------
    def flood(self):
        """Depth bands along the river, a ring-dike hole around the wastewater plant, ponding areas.

        Returns (features in km coordinates, wastewater plant position)."""
        r = self.rng["flood"]
        W = self.W
        bands = [(2.5, 0.10), (1.5, 0.30), (0.8, 0.60), (0.3, 0.90)]  # depth m, half-width km (x factor)
        x0, x1 = -W / 2 - 1.5, W / 2 + 1.5
        xs = [x0 + k * 0.05 for k in range(int(round((x1 - x0) / 0.05)) + 1)]
        # ring-dike island on the south flood plain, downstream (west), inside the 0.8 m band
        hole = None
        rad = 0.1 * self.wscale
        for k in range(400):
            xh = -0.40 * W + k * 0.01
            wsx = self.ws(xh)
            yc = self.river(xh) - 0.45 * wsx
            ring = [(xh + rad * math.cos(2 * math.pi * t / 16), yc + rad * math.sin(2 * math.pi * t / 16)) for t in range(16)]
            ok = all(self.river(px) - 0.6 * self.ws(px) + 0.02 < py < self.river(px) - 0.3 * self.ws(px) - 0.02
                     for px, py in ring)
            if ok:
                hole = ((xh, yc), ring)
                break
        assert hole is not None, "no place for the ring-dike island"
        feats = []
        for depth, hw in bands:
            top = [(x, self.river(x) + hw * self.wn(x)) for x in xs]
            bot = [(x, self.river(x) - hw * self.ws(x)) for x in reversed(xs)]
            outer = top + bot  # west->east along the top, east->west along the bottom: clockwise
            rings = [outer]
            if depth in (0.8, 0.3):
                rings.append(hole[1])
            feats.append(dict(kind="Polygon", rings=rings,
                              props=dict(name=f"100-year flood, {depth} m band", depth_m=depth,
                                         return_period_years=100)))
        # two ponding areas behind the flood plain (one MultiPolygon), depth 0.5 m
        polys = []
        for k in range(2):
            xc = (-0.2 + 0.45 * k) * W + r.uniform(-0.3, 0.3)
            yc = self.river(xc) - 0.9 * self.ws(xc) - 0.45
            rx, ry = r.uniform(0.25, 0.4), r.uniform(0.15, 0.25)
            polys.append([[(xc + rx * math.cos(2 * math.pi * t / 20), yc + ry * math.sin(2 * math.pi * t / 20))
                           for t in range(20)]])
        feats.append(dict(kind="MultiPolygon", polys=polys,
                          props=dict(name="ponding areas behind the flood plain", depth_m=0.5,
                                     return_period_years=100)))
        return feats, hole[0]

    # ---- build ---------------------------------------------------------------------------------
    def build(self):
        self.layout()
        self.people()
        self.zones()
        self.flood_feats, wwtp = self.flood()
        self.power()
        self.telecom()
        self.water()
        self.place_scada()
        self.wastewater(wwtp)
        self.fuel()
        self.transport()
        self.services()
        for a in self.m.assets:
            a["zone"] = self.zone_of(a["pos"])
        for l in self.m.links:
            l["zone"] = self.zone_of(l["pos"])
        return self

    # ---- output ----------------------------------------------------------------------------------
    def geojson_features(self, municipality=None):
        f = self.frame

        def ring_ll(ring, ccw):
            pts = [f.lonlat(x, y) for x, y in ring]
            pts = [(round(lo, 6), round(la, 6)) for lo, la in pts]
            area = sum(pts[i][0] * pts[(i + 1) % len(pts)][1] - pts[(i + 1) % len(pts)][0] * pts[i][1]
                       for i in range(len(pts)))
            if (area > 0) != ccw:
                pts.reverse()
            pts.append(pts[0])
            return [[lo, la] for lo, la in pts]

        out = []
        for ft in self.flood_feats:
            props = dict(ft["props"])
            if municipality:
                props["municipality"] = municipality
            if ft["kind"] == "Polygon":
                rings = [ring_ll(ft["rings"][0], True)] + [ring_ll(h, False) for h in ft["rings"][1:]]
                geom = {"type": "Polygon", "coordinates": rings}
            else:
                geom = {"type": "MultiPolygon",
                        "coordinates": [[ring_ll(p[0], True)] + [ring_ll(h, False) for h in p[1:]]
                                        for p in ft["polys"]]}
            out.append({"type": "Feature", "properties": props, "geometry": geom})
        return out


# --------------------------------------------------------------------------------------------
# Writers.

SECTORS = [("power", "sources"), ("water", "sources"), ("wastewater", "sources"), ("fuel", "sources"),
           ("telecom", "sources"), ("transport", "giant-component"), ("ict", "none"), ("health", "none"),
           ("emergency", "none"), ("government", "none")]


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow(row)


def asset_rows(m, frame, prefix_zone=""):
    for a in m.assets:
        lon, lat = frame.lonlat(*a["pos"])
        yield [a["id"], a["sector"], a["kind"], a["role"], a["owner"], prefix_zone + a["zone"],
               fmt(lat, 6), fmt(lon, 6), a["population"], a["priority"]]


ASSET_HEADER = ["id", "sector", "kind", "role", "owner", "zone", "lat", "lon", "population", "priority"]
LINK_HEADER = ["id", "sector", "from", "to", "kind", "directed", "length_km", "lat", "lon", "owner", "zone",
               "priority"]
DEP_HEADER = ["consumer", "provider", "type", "group", "need", "backup_hours", "probability"]


def dep_rows(m, rename=lambda x: x):
    for key in m.req_order:
        consumer, group = key
        r = m.reqs[key]
        for provider, prob, dtype in r["rows"]:
            yield [rename(consumer), rename(provider), dtype, group, r["need"], f"{r['backup']:g}", f"{prob:g}"]


def network_yaml(name, assets=True, links=True, deps=True, include=None, comment=""):
    lines = [f"# {comment}" if comment else None, "format: 1", f"name: {name}"]
    lines = [l for l in lines if l is not None]
    if assets:
        lines.append("assets: assets.csv")
    if links:
        lines.append("links: links.csv")
    if deps:
        lines.append("dependencies: dependencies.csv")
    lines.append("sectors:")
    for s, mode in SECTORS:
        lines.append(f"  {s}: {{supply: {mode}}}")
    if include:
        lines.append("include:")
        for path, prefix in include:
            lines.append(f"  - {{path: {path}, prefix: \"{prefix}\"}}")
    return "\n".join(lines) + "\n"


def write_model(mu, out):
    os.makedirs(out, exist_ok=True)
    m, f = mu.m, mu.frame
    write_csv(os.path.join(out, "assets.csv"), ASSET_HEADER, asset_rows(m, f))
    rows = []
    for l in m.links:
        lon, lat = f.lonlat(*l["pos"])
        rows.append([l["id"], l["sector"], l["frm"], l["to"], l["kind"], "true" if l["directed"] else "false",
                     fmt(l["length"], 3), fmt(lat, 6), fmt(lon, 6), l["owner"], l["zone"], l["priority"]])
    write_csv(os.path.join(out, "links.csv"), LINK_HEADER, rows)
    write_csv(os.path.join(out, "dependencies.csv"), DEP_HEADER, dep_rows(m))
    comment = (f"generated by scenarios/generate/municipality.py --name {mu.name} --seed {mu.seed} "
               f"--lat {mu.frame.lat0} --lon {mu.frame.lon0} --population {mu.population}")
    with open(os.path.join(out, "network.yaml"), "w", encoding="utf-8") as fh:
        fh.write(network_yaml(mu.name, comment=comment))


def write_geojson(path, features, name):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    doc = {"type": "FeatureCollection", "name": name, "features": features}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=None, separators=(",", ":"))
        fh.write("\n")


# --------------------------------------------------------------------------------------------
# Region: two members joined by cross-boundary dependencies.


def build_region(members, out, flood_out):
    """members: list of (name, seed, lat, lon, population); the first is the larger neighbour."""
    mus = [Municipality(*spec).build() for spec in members]
    big, small = mus[0], mus[1]
    bp, sp = big.name + "/", small.name + "/"
    os.makedirs(out, exist_ok=True)
    reg = Model("region")
    # regional emergency operations centre (county crisis staff) on the big town's east side
    f = big.frame
    p = (big.W / 2 - 0.8, big.river(big.W / 2 - 0.8) + 1.5)
    reg.asset("REG-EOC01", "emergency", "emergency_operations_centre", "node", "DistrictAdministration", p, 0, 10)
    reg.asset("REG-GEN-EOC01", "power", "standby_generator", "source", "DistrictAdministration",
              (p[0] + 0.015, p[1] + 0.01), 0, 10)
    zone = bp + big.zone_of(p)

    def add(consumer, group, providers, dtype, need, backup, prob=1.0):
        reg.require(consumer, group, providers, dtype, need, backup, prob)

    # the regional EOC: power from the big town's grid or its generator, telecom, road access
    add("REG-EOC01", "power", [bp + x for x in big.ds_near(p, 2)] + ["REG-GEN-EOC01"], "physical", "any", 1)
    add("REG-GEN-EOC01", "fuel", [bp + d for d in big.depot_ids] + [sp + d for d in small.depot_ids],
        "physical", "any", 72)
    add("REG-EOC01", "telecom", [bp + c for c in big.core_ids] + [sp + c for c in small.core_ids], "cyber", "any", 0)
    add("REG-EOC01", "transport", [bp + j for j in big.junction_near(p, 2)], "geographic", "any", 0)
    # the regional EOC can take over dispatch of every fire and ambulance station (same need/backup)
    for mu, pre in ((big, bp), (small, sp)):
        for kind in ("fire_station", "ambulance_station"):
            for aid in mu.station_ids[kind]:
                add(pre + aid, "dispatch", ["REG-EOC01"], "logical", "any", 0)
    # the small town's 110 kV in-feed is a line from the big town's transmission substations
    for ts in small.ts_ids:
        add(sp + ts, "grid_import", [bp + t for t in big.ts_ids], "physical", "any", 0)
    # the small town's telecom exchange reaches the backbone through the big town's exchanges
    for c in small.core_ids:
        add(sp + c, "backbone", [bp + x for x in big.core_ids], "cyber", "any", 0, 0.9)
    # bulk water: the small town's towers are topped up from the big town's treatment plants
    for t in small.tower_ids:
        add(sp + t, "bulk_water", [bp + x for x in big.tp_ids], "physical", "any", 24)
    # fuel: the small town's generators at the hospital and EOC also draw on the big town's depots
    for site in small.hosp_ids + [small.eoc_id]:
        gid = "GEN-" + site
        r = small.m.reqs[(gid, "fuel")]
        add(sp + gid, "fuel", [bp + d for d in big.depot_ids], "physical", r["need"], r["backup"])
    # the big town's dispatch group already exists; re-check need/backup agreement
    for mu, pre in ((big, bp), (small, sp)):
        for kind in ("fire_station", "ambulance_station"):
            for aid in mu.station_ids[kind]:
                r = mu.m.reqs[(aid, "dispatch")]
                assert r["need"] == "any" and r["backup"] == 0
    for aid in list(reg.by_id):
        reg.by_id[aid]["zone"] = zone
    # the county road between the towns: region junctions every ~1.5 km, joined to each town's
    # road network (links whose ends are prefixed ids of the included models)
    xa = big.W / 2 - 0.3
    ja = big.junction_near((xa, big.river(xa) + 1.5))[0]
    xb = -small.W / 2 + 0.3
    jb = small.junction_near((xb, small.river(xb) + 1.5))[0]
    pa = big.m.by_id[ja]["pos"]
    pb = f.xy(*small.frame.lonlat(*small.m.by_id[jb]["pos"]))
    n = max(1, int(dist(pa, pb) // 1.5))
    chain = [bp + ja]
    for k in range(1, n + 1):
        t = k / (n + 1)
        q = (pa[0] + (pb[0] - pa[0]) * t, pa[1] + (pb[1] - pa[1]) * t + 0.3 * math.sin(math.pi * t))
        aid = f"REG-J{k:02d}"
        reg.asset(aid, "transport", "road_junction", "node", "RoadAuthority", q, 0, 1)
        reg.by_id[aid]["zone"] = zone
        chain.append(aid)
    chain.append(sp + jb)
    pos = dict((aid, reg.by_id[aid]["pos"]) for aid in chain[1:-1])
    pos[chain[0]], pos[chain[-1]] = pa, pb
    rows = []
    for k, (a, b) in enumerate(zip(chain, chain[1:])):
        mid = ((pos[a][0] + pos[b][0]) / 2, (pos[a][1] + pos[b][1]) / 2)
        lon, lat = f.lonlat(*mid)
        rows.append([f"REG-RD-{k + 1:02d}", "transport", a, b, "road", "false", fmt(dist(pos[a], pos[b]), 3),
                     fmt(lat, 6), fmt(lon, 6), "RoadAuthority", zone, 1])
    write_csv(os.path.join(out, "links.csv"), LINK_HEADER, rows)
    write_csv(os.path.join(out, "assets.csv"), ASSET_HEADER, asset_rows(reg, f))
    write_csv(os.path.join(out, "dependencies.csv"), DEP_HEADER, dep_rows(reg))
    args = " ".join(f"--member {','.join(str(v) for v in spec)}" for spec in members)
    with open(os.path.join(out, "network.yaml"), "w", encoding="utf-8") as fh:
        fh.write(network_yaml("region",
                              include=[(f"../{big.name}/network.yaml", bp), (f"../{small.name}/network.yaml", sp)],
                              comment=f"generated by scenarios/generate/municipality.py --region {args}"))
    if flood_out:
        feats = big.geojson_features(big.name) + small.geojson_features(small.name)
        write_geojson(flood_out, feats, "region-flood-100y")


# --------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--name", help="model name (lowercase word)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lat", type=float, help="centre latitude (WGS84)")
    ap.add_argument("--lon", type=float, help="centre longitude (WGS84)")
    ap.add_argument("--population", type=int, default=150000)
    ap.add_argument("--out", required=True, help="output model folder")
    ap.add_argument("--flood-out", help="write the 100-year flood footprint GeoJSON here")
    ap.add_argument("--region", action="store_true", help="write a region model joining --member models")
    ap.add_argument("--member", action="append", default=[],
                    help="region member: name,seed,lat,lon,population (the larger one first)")
    a = ap.parse_args()
    if a.region:
        if len(a.member) != 2:
            ap.error("--region needs exactly two --member")
        members = []
        for spec in a.member:
            n, sd, la, lo, po = spec.split(",")
            members.append((n, int(sd), float(la), float(lo), int(po)))
        build_region(members, a.out, a.flood_out)
        return
    if a.name is None or a.lat is None or a.lon is None:
        ap.error("--name, --lat and --lon are required")
    mu = Municipality(a.name, a.seed, a.lat, a.lon, a.population).build()
    write_model(mu, a.out)
    if a.flood_out:
        write_geojson(a.flood_out, mu.geojson_features(), f"{a.name}-flood-100y")


if __name__ == "__main__":
    main()
