#!/usr/bin/python3
"""Checks a Kaskada results.gpkg with GDAL's own tools (Debian gdal-bin), independent of Kaskada:
GDAL's GeoPackage validator (validate_gpkg.py of python3-gdal: the requirements of the OGC
specification, the R-tree triggers included) passes; `ogrinfo -al -so` opens it with the GPKG
driver and lists each layer's geometry type, feature count, spatial reference and fields;
`ogr2ogr` converts every layer to GeoJSON and to a new GeoPackage without an error; SQLite's
`rtreecheck()` passes for every R-tree. The figures must match the same run's results.geojson (when
written) and assets.csv: the features per layer, the fields of each layer (the GeoJSON properties
without `layer`), EPSG:4326, and the assets GDAL's spatial filter finds in a window.
Usage: scripts/check-gpkg.py RESULT_DIR   (exit 0: fine, 1: a problem, printed)"""
import csv, json, os, re, sqlite3, subprocess, sys, tempfile

TABLES = {"asset": "assets", "link": "links", "zone": "zones"}
GEOMETRY = {"assets": "Point", "links": "Line String", "zones": "Polygon"}


def ogrinfo(path):
    """Layer name -> {geometry, count, fields, srs} from `ogrinfo -al -so` (GDAL's text output)."""
    out = subprocess.run(["ogrinfo", "-ro", "-al", "-so", path], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"ogrinfo failed ({out.returncode}): {out.stderr.strip()}")
    if "ERROR" in out.stderr:
        raise SystemExit(f"ogrinfo reported: {out.stderr.strip()}")
    layers, cur, in_fields = {}, None, False
    for line in out.stdout.splitlines():
        if line.startswith("Layer name: "):
            cur = {"fields": [], "srs": ""}
            layers[line[len("Layer name: "):].strip()] = cur
            in_fields = False
        elif cur is None:
            continue
        elif line.startswith("Geometry: "):
            cur["geometry"] = line[len("Geometry: "):].strip()
        elif line.startswith("Feature Count: "):
            cur["count"] = int(line[len("Feature Count: "):])
        elif line.startswith("Geometry Column = "):
            in_fields = True
        elif in_fields and re.match(r"^[^ ].*: [A-Za-z0-9]+ \(", line):
            cur["fields"].append(line.split(": ")[0])
        elif not in_fields:
            cur["srs"] += line
    return layers


def main(d):
    problems = []
    gpkg = os.path.join(d, "results.gpkg")
    v = subprocess.run(["/usr/bin/python3", "-m", "osgeo_utils.samples.validate_gpkg", gpkg], capture_output=True, text=True)
    if v.returncode != 0 or v.stdout.strip() or v.stderr.strip():
        problems.append(f"GDAL's validate_gpkg: exit {v.returncode}: {(v.stdout + v.stderr).strip().splitlines()[-1:]}")
    layers = ogrinfo(gpkg)
    if sorted(layers) != sorted(TABLES.values()):
        problems.append(f"layers {sorted(layers)}, expected {sorted(TABLES.values())}")
    for name, info in layers.items():
        if info.get("geometry") != GEOMETRY.get(name):
            problems.append(f"{name}: geometry {info.get('geometry')}, expected {GEOMETRY.get(name)}")
        if 'ID["EPSG",4326]' not in info["srs"] and 'AUTHORITY["EPSG","4326"]' not in info["srs"]:
            problems.append(f"{name}: spatial reference is not EPSG:4326")
    with open(os.path.join(d, "assets.csv"), encoding="utf-8") as f:
        assets = list(csv.DictReader(f))
    if layers.get("assets", {}).get("count") != len(assets):
        problems.append(f"assets: {layers.get('assets', {}).get('count')} features, assets.csv has {len(assets)} rows")
    geojson_path = os.path.join(d, "results.geojson")
    if os.path.exists(geojson_path):
        with open(geojson_path, encoding="utf-8") as f:
            features = json.load(f)["features"]
        for layer, table in TABLES.items():
            mine = [ft for ft in features if ft["properties"]["layer"] == layer]
            info = layers.get(table, {})
            if info.get("count") != len(mine):
                problems.append(f"{table}: {info.get('count')} features, results.geojson has {len(mine)}")
            names = []
            for ft in mine:
                for k in ft["properties"]:
                    if k != "layer" and k not in names:
                        names.append(k)
            if mine and sorted(info.get("fields", [])) != sorted(names):
                problems.append(f"{table}: fields {info.get('fields')}, results.geojson has {names}")
        # GDAL's spatial filter (through the R-tree) finds the points that results.geojson has in a window
        pts = [ft["geometry"]["coordinates"] for ft in features if ft["properties"]["layer"] == "asset" and ft["geometry"]]
        if pts:
            xs, ys = sorted(p[0] for p in pts), sorted(p[1] for p in pts)
            x0, x1, y0, y1 = xs[len(xs) // 3], xs[2 * len(xs) // 3], ys[len(ys) // 3], ys[2 * len(ys) // 3]
            # the R-tree holds float32 boxes rounded outwards (4e-6 degrees near 48 N), and GDAL
            # does not test a point found through it again: points that close to an edge may count
            e = 1e-5
            inside = sum(1 for x, y in pts if x0 <= x <= x1 and y0 <= y <= y1)
            near = sum(1 for x, y in pts if x0 - e <= x <= x1 + e and y0 - e <= y <= y1 + e)
            out = subprocess.run(["ogrinfo", "-ro", "-so", "-spat", repr(x0), repr(y0), repr(x1), repr(y1), gpkg, "assets"],
                                 capture_output=True, text=True)
            m = re.search(r"Feature Count: (\d+)", out.stdout)
            if not m or not inside <= int(m.group(1)) <= near:
                problems.append(f"assets: ogrinfo -spat {x0} {y0} {x1} {y1} finds {m.group(1) if m else '?'}, "
                                f"results.geojson has {inside} inside ({near} within 10^-5 degrees)")
    # SQLite's own check of every R-tree (node counts, boxes inside their parents, rowid and parent tables)
    db = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    for table in TABLES.values():
        verdict = db.execute(f"SELECT rtreecheck('rtree_{table}_geom')").fetchone()[0]
        if verdict != "ok":
            problems.append(f"rtreecheck('rtree_{table}_geom'): {verdict}")
    db.close()
    # GDAL converts every layer without an error
    with tempfile.TemporaryDirectory() as tmp:
        for args in (["-f", "GPKG", os.path.join(tmp, "copy.gpkg"), gpkg],
                     ["-f", "GeoJSON", os.path.join(tmp, "assets.geojson"), gpkg, "assets"]):
            out = subprocess.run(["ogr2ogr"] + args, capture_output=True, text=True)
            if out.returncode != 0 or "ERROR" in out.stderr:
                problems.append(f"ogr2ogr {' '.join(args[:2])}: exit {out.returncode} {out.stderr.strip()}")
        copy = os.path.join(tmp, "copy.gpkg")
        if os.path.exists(copy):
            again = ogrinfo(copy)
            for name, info in layers.items():
                if again.get(name, {}).get("count") != info.get("count"):
                    problems.append(f"{name}: {again.get(name, {}).get('count')} features after ogr2ogr, {info.get('count')} before")
    if problems:
        print("FAILED: results.gpkg in " + d)
        for p in problems:
            print("  " + p)
        return 1
    counts = ", ".join(f"{n} {layers[n]['count']} ({len(layers[n]['fields'])} fields)" for n in TABLES.values() if n in layers)
    print(f"ok: results.gpkg valid per GDAL's validate_gpkg and read by GDAL ({subprocess.run(['ogrinfo', '--version'], capture_output=True, text=True).stdout.strip()}): "
          f"{counts}; EPSG:4326; ogr2ogr to GeoPackage and GeoJSON without error; rtreecheck ok; the same features, fields "
          f"and spatial-filter counts as results.geojson")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
