#!/usr/bin/env python3
"""A development mock of kaskada-serve for the web page (Serve/Sources/KaskadaService/Resources/index.html).

    python3 Serve/Tests/LiveChecks/mock_server.py PORT [--token T] [--owner-token OWNER=T] [--no-zones]
                                             [--no-query-token] [--outlook-delay SECONDS] [--model assets.csv]

Standard library only. It serves the page at `/` (read from disk on every request, so edits show
on reload), the sample JSONs of Serve/Tests/LiveChecks/samples for the read routes, a `zones` route with the
convex hull of each zone's assets in the model, server-sent events, and `POST .../reports` which
bumps the version, puts the posted ids in `down` (reason "damaged") and sends an SSE event.

It is NOT the service: the state is the sample plus the posted ids; nothing is recomputed.
Errors are application/problem+json like the service's. PORT 0 picks a free port; the chosen one
is printed as `listening on http://127.0.0.1:PORT`.
"""
import argparse
import copy
import csv
import json
import os
import queue
import re
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(HERE, "samples")
PAGE = os.path.join(HERE, "..", "Sources", "KaskadaService", "Resources", "index.html")
MODEL = os.path.join(HERE, "..", "..", "scenarios", "networks", "riverside", "assets.csv")


def load(name):
    with open(os.path.join(SAMPLES, name)) as f:
        return json.load(f)


def hull(points):
    """Convex hull (Andrew's monotone chain) of (lon, lat) points, counter-clockwise."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


class World:
    """The mutable state of the mock: one situation, its version, its reports, SSE listeners."""

    def __init__(self, model_path):
        self.lock = threading.Lock()
        self.situations = load("situations.json")
        self.sid = self.situations[0]["id"]
        self.state = load("state-centre.json")
        self.state_owner = load("state-owner-RiversideWater.json")
        self.warnings = load("warnings.json")
        self.outlook = load("outlook.json")
        self.brief_water = load("brief-RiversideWater.json")
        self.reports = load("reports.json")
        self.listeners = []
        self.assets = {}
        by_zone = {}
        with open(model_path, newline="") as f:
            for row in csv.DictReader(f):
                self.assets[row["id"]] = row
                try:
                    by_zone.setdefault(row["zone"], []).append((float(row["lon"]), float(row["lat"])))
                except (KeyError, ValueError):
                    pass
        self.zones = [{"zone": z, "polygon": [[round(x, 6), round(y, 6)] for x, y in hull(p)]}
                      for z, p in sorted(by_zone.items())]
        self.owners = sorted({r["owner"] for r in self.assets.values() if r.get("owner")})

    def version(self):
        return self.state["version"]

    def add_damaged(self, ids, by):
        with self.lock:
            v = self.state["version"] + 1
            now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
            number = len(self.reports) + 1
            rep = {"by": by, "number": number, "received_at": now,
                   "report": {"type": "damaged", "ids": ids, "time": self.state["at"]}}
            self.reports.append(rep)
            for st in (self.state, self.state_owner):
                st["version"] = v
            self.outlook["version"] = v
            self.brief_water["version"] = v
            self.situations[0]["reports"] = number
            existing = {d["id"]: d for d in self.state["down"]}
            for i in ids:
                a = self.assets[i]
                entry = {"down_hours": 0, "id": i, "owner": a["owner"], "population": float(a.get("population") or 0),
                         "reason": "damaged", "reports": [number], "sector": a["sector"], "zone": a["zone"]}
                if i in existing:
                    existing[i].clear()
                    existing[i].update(entry)
                else:
                    self.state["down"].append(entry)
                    self.state["assets_down"] += 1
                self.state["on_backup"] = [b for b in self.state["on_backup"] if b["id"] != i]
                if a["owner"] == "RiversideWater" and not any(d["id"] == i for d in self.state_owner["down"]):
                    self.state_owner["down"].append(entry)
            self.state["down"].sort(key=lambda d: d["id"])
            listeners = list(self.listeners)
        for q in listeners:
            q.put(v)
        return rep

    def brief(self, owner):
        """The RiversideWater sample, or one made from the state for other owners."""
        with self.lock:
            if owner == "RiversideWater":
                b = copy.deepcopy(self.brief_water)
                b["down"] = [d for d in self.state["down"] if d["owner"] == owner]
                return b
            down = [d for d in self.state["down"] if d.get("owner") == owner]
            deps = {}
            for d in down:
                for fgrp in d.get("failed", []):
                    for p in fgrp.get("providers_down", []):
                        po = self.assets.get(p, {}).get("owner")
                        if po and po != owner:
                            k = (d["id"], fgrp["group"], po)
                            deps[k] = deps.get(k, 0) + 1
            return {"at": self.state["at"], "situation": self.sid, "owner": owner, "version": self.state["version"],
                    "down": down, "on_backup": [b for b in self.state["on_backup"] if b.get("owner") == owner],
                    "depends_on_down": [{"consumer": c, "group": g, "provider_owner": po, "providers_down": n}
                                        for (c, g, po), n in sorted(deps.items())],
                    "others_depending_on_it": [],
                    "people_without_by_sector": self.state["people_without_by_sector"]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kaskada-mock"
    world: World = None
    opts = None

    def log_message(self, fmt, *args):
        if self.opts.verbose:
            sys.stderr.write("mock: " + (fmt % args) + "\n")

    # responses
    def send_body(self, status, body, ctype, extra=None):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def json(self, value, status=200):
        self.send_body(status, json.dumps(value, separators=(",", ":"), sort_keys=True), "application/json")

    def problem(self, status, slug, title, detail, extra=None):
        body = {"type": "urn:kaskada:problem:" + slug, "title": title, "status": status, "detail": detail}
        self.send_body(status, json.dumps(body), "application/problem+json", extra)

    # who is asking: "centre", ("owner", name) or None (after answering 401)
    def scope(self, allow_query_token=False):
        o = self.opts
        if not o.token and not o.owner_token:
            return "centre"
        tok = None
        auth = self.headers.get("Authorization")
        if auth:
            parts = auth.split(" ", 1)
            if len(parts) == 2 and parts[0].lower() == "bearer":
                tok = parts[1].strip()
            else:
                tok = ""
        elif allow_query_token:
            tok = parse_qs(urlsplit(self.path).query).get("access_token", [None])[0]
        if tok is not None:
            if o.token and tok == o.token:
                return "centre"
            if o.owner_token and tok == o.owner_token[1]:
                return ("owner", o.owner_token[0])
        self.problem(401, "unauthorized", "Unauthorized", "a valid bearer token is required",
                     {"WWW-Authenticate": 'Bearer realm="kaskada"'})
        return None

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        u = urlsplit(self.path)
        path = u.path
        w = self.world
        if path in ("/", "/index.html"):
            with open(PAGE, "rb") as f:
                return self.send_body(200, f.read(), "text/html; charset=utf-8")
        if path == "/healthz":
            return self.json({"status": "ok"})
        if not path.startswith("/v1/"):
            return self.problem(404, "not-found", "Not found", "no route " + path)
        m = re.fullmatch(r"/v1/situations/([^/]+)/events", path)
        sc = self.scope(allow_query_token=bool(m) and not self.opts.no_query_token)
        if sc is None:
            return
        if path == "/v1/situations":
            with w.lock:
                return self.json(copy.deepcopy(w.situations))
        m2 = re.fullmatch(r"/v1/situations/([^/]+)/([a-z]+)(?:/([^/]+))?", path)
        if not m2:
            return self.problem(404, "not-found", "Not found", "no route " + path)
        sid, what, arg = m2.groups()
        if sid != w.sid:
            return self.problem(404, "not-found", "Not found", "no situation " + sid)
        q = parse_qs(u.query)
        if what == "state" and arg is None:
            unknown = [k for k in q if k != "at"]
            if unknown:
                return self.problem(400, "invalid-query", "Invalid query parameter",
                                    "query parameter %s: unknown query parameter" % unknown[0])
            with w.lock:
                return self.json(copy.deepcopy(w.state if sc == "centre" else w.state_owner))
        if what == "warnings" and arg is None:
            with w.lock:
                return self.json(copy.deepcopy(w.warnings))
        if what == "outlook" and arg is None:
            time.sleep(self.opts.outlook_delay)
            with w.lock:
                out = copy.deepcopy(w.outlook)
            for k in q:
                if k not in ("samples", "horizon_hours", "seed", "at"):
                    return self.problem(400, "invalid-query", "Invalid query parameter", "query parameter %s: unknown" % k)
            return self.json(out)  # the sample as it is (100 samples), whatever was asked
        if what == "zones" and arg is None:
            if self.opts.no_zones:
                return self.problem(404, "not-found", "Not found", "no route " + path)
            return self.json(w.zones)
        if what == "briefs" and arg:
            if sc != "centre" and sc[1] != arg:
                return self.problem(403, "forbidden", "Forbidden", "the role owner:%s may not do this" % sc[1])
            if arg not in w.owners:
                return self.problem(404, "not-found", "Not found", "no owner %s in the model" % arg)
            return self.json(w.brief(arg))
        if what == "reports" and arg is None:
            if sc != "centre":
                return self.problem(403, "forbidden", "Forbidden", "the role owner:%s may not do this" % sc[1])
            with w.lock:
                return self.json(copy.deepcopy(w.reports))
        if what == "events" and arg is None:
            return self.events()
        return self.problem(404, "not-found", "Not found", "no route " + path)

    def events(self):
        w = self.world
        q = queue.Queue()
        with w.lock:
            w.listeners.append(q)
            v = w.state["version"]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            self.wfile.write(("event: version\ndata: {\"version\":%d}\n\n" % v).encode())
            self.wfile.flush()
            while True:
                try:
                    v = q.get(timeout=self.opts.heartbeat)
                    self.wfile.write(("event: version\nid: %d\ndata: {\"version\":%d}\n\n" % (v, v)).encode())
                except queue.Empty:
                    self.wfile.write(b": heartbeat\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        finally:
            with w.lock:
                if q in w.listeners:
                    w.listeners.remove(q)

    def do_POST(self):
        u = urlsplit(self.path)
        w = self.world
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        sc = self.scope()
        if sc is None:
            return
        m = re.fullmatch(r"/v1/situations/([^/]+)/reports", u.path)
        if not m:
            return self.problem(404, "not-found", "Not found", "no route " + u.path)
        if m.group(1) != w.sid:
            return self.problem(404, "not-found", "Not found", "no situation " + m.group(1))
        if sc != "centre":
            return self.problem(403, "forbidden", "Forbidden", "the role owner:%s may not do this" % sc[1])
        try:
            body = json.loads(raw)
        except ValueError:
            return self.problem(400, "invalid-json", "Invalid JSON", "the body must be a JSON object")
        ids = body.get("ids") if isinstance(body, dict) else None
        if not isinstance(body, dict) or body.get("type") != "damaged" or not isinstance(ids, list) or not ids:
            return self.problem(422, "invalid-request", "Invalid request",
                                "the mock accepts only {\"type\":\"damaged\",\"ids\":[...]}")
        unknown = [i for i in ids if i not in w.assets]
        if unknown:
            return self.problem(422, "invalid-request", "Invalid request", "unknown asset id " + str(unknown[0]))
        rep = w.add_damaged(ids, "centre")
        self.json(rep, status=201)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("port", type=int)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--token", help="the centre token; without --token and --owner-token the mock is open")
    ap.add_argument("--owner-token", metavar="OWNER=TOKEN", help="an owner token (the owner state is the RiversideWater sample)")
    ap.add_argument("--no-zones", action="store_true", help="answer 404 on the zones route (the page falls back to tiles)")
    ap.add_argument("--no-query-token", action="store_true",
                    help="refuse ?access_token= on the events route (the page then polls the state)")
    ap.add_argument("--outlook-delay", type=float, default=2.0, help="seconds the outlook takes (default 2)")
    ap.add_argument("--heartbeat", type=float, default=15.0)
    ap.add_argument("--model", default=MODEL)
    ap.add_argument("-v", "--verbose", action="store_true")
    opts = ap.parse_args()
    if opts.owner_token:
        if "=" not in opts.owner_token:
            ap.error("--owner-token expects OWNER=TOKEN")
        opts.owner_token = tuple(opts.owner_token.split("=", 1))
    Handler.world = World(opts.model)
    Handler.opts = opts
    srv = ThreadingHTTPServer((opts.host, opts.port), Handler)
    srv.daemon_threads = True
    print("listening on http://%s:%d" % (opts.host, srv.server_address[1]), flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
