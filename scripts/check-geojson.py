#!/usr/bin/python3
"""Checks a Kaskada results.geojson with libraries independent of Kaskada (Debian python3-geojson
and python3-shapely): valid GeoJSON per the geojson package, RFC 7946 rules (WGS84 ranges,
no `crs` member, closed counter-clockwise exterior rings, valid polygons per shapely), and the
layers and properties docs/outputs.md promises.
Usage: scripts/check-geojson.py RESULT_DIR   (exit 0: fine, 1: a problem, printed)"""
import csv, json, sys

import geojson
from shapely.geometry import shape

def main(d):
    problems = []
    with open(d + "/results.geojson", encoding="utf-8") as f:
        text = f.read()
    fc = geojson.loads(text)
    if not fc.is_valid:
        problems.append("geojson: " + str(fc.errors()))
    raw = json.loads(text)
    if "crs" in raw:
        problems.append("RFC 7946 section 4: no crs member")
    layers = {}
    for i, feat in enumerate(raw["features"]):
        p = feat["properties"]
        layers[p["layer"]] = layers.get(p["layer"], 0) + 1
        g = feat["geometry"]
        if g is None:
            continue
        s = shape(g)
        if not s.is_valid:
            problems.append(f"feature {i}: invalid {g['type']}")
        xs = [c for c in _coords(g["coordinates"])]
        for lon, lat in xs:
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                problems.append(f"feature {i}: [{lon}, {lat}] is not WGS84 lon/lat")
        if g["type"] == "Polygon":
            ring = g["coordinates"][0]
            if ring[0] != ring[-1]:
                problems.append(f"feature {i}: ring not closed")
            area = sum(ring[k][0] * ring[k + 1][1] - ring[k + 1][0] * ring[k][1] for k in range(len(ring) - 1))
            if area <= 0:
                problems.append(f"feature {i}: exterior ring is not counter-clockwise (RFC 7946 section 3.1.6)")
    with open(d + "/assets.csv", encoding="utf-8") as f:
        assets = {r["id"]: r for r in csv.DictReader(f)}
    with_coords = sum(1 for r in assets.values() if r.get("x") or r.get("lat"))
    if layers.get("asset", 0) != with_coords:
        problems.append(f"{layers.get('asset', 0)} asset features for {with_coords} assets with coordinates")
    for feat in raw["features"]:
        p = feat["properties"]
        if p["layer"] == "asset":
            a = assets[p["id"]]
            if float(a["p_outage"]) != p["p_outage"]:
                problems.append(f"{p['id']}: p_outage {p['p_outage']} differs from assets.csv {a['p_outage']}")
    for m in problems[:20]:
        print("check-geojson:", m)
    print(f"check-geojson: {d}/results.geojson: {len(raw['features'])} features {layers}, "
          + ("fine" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0

def _coords(c):
    if isinstance(c[0], (int, float)):
        yield (c[0], c[1])
    else:
        for x in c:
            yield from _coords(x)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
