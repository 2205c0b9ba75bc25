#!/usr/bin/env python3
"""Writes the validation cases of scenarios/reference/ (deterministic; re-run to regenerate).

Each case is a folder with scenario.yaml, README.md (source of the expected numbers) and
expected/expected.json: {"metrics": {NAME: {"mean": x, "tolerance": t}}, "source": "..."}. The
test suite runs every case through `kaskada run` and checks each listed metric's mean.

ER graphs use the counter-based splitmix64 of ../../shared/reference/README.md section 0, so the
graphs are those of the reference implementations.
"""
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
MASK = (1 << 64) - 1


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def sm(seed, i):
    return mix((seed + (i + 1) * 0x9E3779B97F4A7C15) & MASK)


def randint(x, n):
    return ((x >> 32) * n) >> 32


def er_edges(n, k, seed):
    m = round(k * n / 2)
    out = []
    for e in range(m):
        u = randint(sm(seed, 2 * e), n)
        v = randint(sm(seed, 2 * e + 1), n)
        if u != v:
            out.append((u, v))
    return out


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def case(name, scenario, readme, metrics, source):
    d = os.path.join(HERE, name)
    write(os.path.join(d, "scenario.yaml"), scenario)
    write(os.path.join(d, "README.md"), readme)
    write(os.path.join(d, "expected", "expected.json"),
          json.dumps({"metrics": metrics, "source": source}, indent=2, sort_keys=True) + "\n")


def er_model(name, n, sectors, mutual):
    """One or two ER(n, 4) networks (sectors) with population 1 per node; with `mutual`, node i of
    each network depends on node i of the other (Buldyrev et al. 2010)."""
    d = os.path.join(HERE, "models", name)
    seeds = {"a": 0x1000, "b": 0x2000}
    assets = ["id,sector,kind,population"]
    links = ["id,sector,from,to,kind"]
    for s in sectors:
        assets += [f"{s}{i},{s},node,1" for i in range(n)]
        links += [f"{s}-e{j},{s},{s}{u},{s}{v},edge" for j, (u, v) in enumerate(er_edges(n, 4, seeds[s]))]
    yaml = f"name: {name}\nassets: assets.csv\nlinks: links.csv\n"
    if mutual:
        deps = ["consumer,provider,type"]
        deps += [f"a{i},b{i},physical" for i in range(n)] + [f"b{i},a{i},physical" for i in range(n)]
        write(os.path.join(d, "dependencies.csv"), "\n".join(deps) + "\n")
        yaml += "dependencies: dependencies.csv\n"
    yaml += "sectors:\n" + "".join(f"  {s}: {{supply: giant-component}}\n" for s in sectors)
    write(os.path.join(d, "assets.csv"), "\n".join(assets) + "\n")
    write(os.path.join(d, "links.csv"), "\n".join(links) + "\n")
    write(os.path.join(d, "network.yaml"), yaml)


def er_giant(k, p):
    """Site percolation on ER: P = p*g with g = 1 - exp(-k p g) (Newman-Ziff 2000; Erdos-Renyi 1960)."""
    g = 1.0
    for _ in range(10000):
        g = 1 - math.exp(-k * p * g)
    return p * g


def buldyrev(k, p):
    """Mutual giant component of two interdependent ER networks: P = p (1 - exp(-k P))^2
    (Buldyrev et al. 2010, Nature 464:1025, for fully interdependent ER networks)."""
    P = p
    for _ in range(100000):
        P = p * (1 - math.exp(-k * P)) ** 2
    return P


def main():
    n = 10000
    er_model("er-k4", n, ["a"], mutual=False)
    for p, samples in [(1.0, 20), (0.5, 40), (0.2, 40)]:
        P = er_giant(4, p)
        name = f"er-percolation-p{int(round(p * 100)):03d}"
        case(name,
             f"name: {name}\nnetwork: ../models/er-k4/network.yaml\nevents:\n"
             f"  - type: outage\n    select: {{sector: a}}\n    probability: {1 - p}\n"
             f"simulation: {{samples: {samples}, seed: 7}}\n",
             f"# Site percolation on an Erdős–Rényi graph, k = 4, p = {p}\n\n"
             f"One network `a` (supply: giant-component) of N = {n} nodes and ER(N, 4) edges from the\n"
             f"reference splitmix generator (seed 0x1000); every node is kept with probability p\n"
             f"(an outage with probability 1 − p). The largest cluster holds P = p·g of the nodes with\n"
             f"g = 1 − exp(−k·p·g) (Erdős & Rényi 1960; Newman & Ziff 2000, PRL 85:4104): P = {P:.4f}.\n"
             f"Expected people without service (population 1 per node): N·(1 − P) = {n * (1 - P):.1f},\n"
             f"within 1% of N for finite-size effects and Monte Carlo noise.\n",
             {"people_without_service.a": {"mean": round(n * (1 - P), 1), "tolerance": 0.01 * n}},
             "Erdős–Rényi 1960; Newman & Ziff 2000: P = p g, g = 1 - exp(-k p g)")
    nb = 20000
    er_model("buldyrev-k4", nb, ["a", "b"], mutual=True)
    for p, samples, tol in [(0.65, 20, 0.03), (0.55, 20, 0.01)]:
        P = buldyrev(4, p)
        name = f"buldyrev-p{int(round(p * 100)):03d}"
        case(name,
             f"name: {name}\nnetwork: ../models/buldyrev-k4/network.yaml\nevents:\n"
             f"  - type: outage\n    select: {{sector: a}}\n    probability: {1 - p:.2f}\n"
             f"simulation: {{samples: {samples}, seed: 7}}\n",
             f"# Two fully interdependent ER networks (Buldyrev et al. 2010), k = 4, p = {p}\n\n"
             f"Networks `a` and `b` (giant-component supply) of N = {nb} nodes each, ER(N, 4) from the\n"
             f"reference generator (seeds 0x1000, 0x2000); node i of a and node i of b depend on each\n"
             f"other. A fraction 1 − p of network a is removed. The mutual giant component holds\n"
             f"P = p·(1 − exp(−k·P))² (Buldyrev et al. 2010, Nature 464:1025): P = {P:.4f}\n"
             f"(p_c = 2.4554/k = 0.6139; below it P = 0). Expected people without service in a:\n"
             f"N·(1 − P) = {nb * (1 - P):.1f}, within {tol:.0%} of N.\n",
             {"people_without_service.a": {"mean": round(nb * (1 - P), 1), "tolerance": tol * nb},
              "people_without_service.b": {"mean": round(nb * (1 - P), 1), "tolerance": tol * nb}},
             "Buldyrev et al. 2010, Nature 464:1025: P = p (1 - exp(-k P))^2")

    # exact small systems (deterministic outages; expected values by hand)
    small = {
        "series": ("S,p,plant,source,0\nA,p,sub,node,10\nB,p,sub,node,20\nC,p,sub,node,40\n",
                   "1,p,S,A,line\n2,p,A,B,line\n3,p,B,C,line\n", "", ["A"], {"p": 70},
                   "S–A–B–C in series; A is out: A, B and C lose supply: 10 + 20 + 40 = 70 people."),
        "parallel": ("S,p,plant,source,0\nA,p,sub,node,10\nB,p,sub,node,20\nT,p,sub,node,40\n",
                     "1,p,S,A,line\n2,p,S,B,line\n3,p,A,T,line\n4,p,B,T,line\n", "", ["A"], {"p": 10},
                     "S feeds T through A or B; A is out: only A's 10 people lose supply, T is fed through B."),
        "bridge": ("S,p,plant,source,0\nA,p,sub,node,10\nB,p,sub,node,20\nT,p,sub,node,40\n",
                   "sa,p,S,A,line\nsb,p,S,B,line\nab,p,A,B,line\nat,p,A,T,line\nbt,p,B,T,line\n", "",
                   ["sa", "bt"], {"p": 0},
                   "Wheatstone bridge with links S–A and B–T out: S–B–A–T still joins everyone: 0 people."),
        "k-of-n": ("H,h,hospital,node,100\nP1,q,sub,node,0\nP2,q,sub,node,0\nP3,q,sub,node,0\n", "",
                   "H,P1,power,2\nH,P2,power,2\nH,P3,power,2\n", ["P1", "P3"], {"h": 100, "q": 0},
                   "H needs 2 of P1..P3; P1 and P3 are out: H (100 people) fails."),
        "mutual": ("S,power,plant,source,0\nP1,power,sub,node,5\nP2,power,sub,node,7\n"
                   "W,water,plant,source,0\nQ1,water,pump,node,11\nQ2,water,pump,node,13\n",
                   "a,power,S,P1,line\nb,power,P1,P2,line\nc,water,W,Q1,main\nd,water,Q1,Q2,main\n",
                   "P2,Q1,water,any\nQ2,P2,power,any\nQ1,P1,power,any\n", ["P1"], {"power": 12, "water": 24},
                   "Two sectors: P2 needs Q1, Q1 needs P1, Q2 needs P2. P1 out: P2 unsupplied, Q1 loses P1, "
                   "Q2 loses P2: power 5 + 7 = 12, water 11 + 13 = 24."),
        "consumer-relay": ("S,p,plant,source,0\nC,p,meter,consumer,10\nD,p,meter,node,20\n",
                           "1,p,S,C,line\n2,p,C,D,line\n", "", [], {"p": 20},
                           "S–C–D with C a consumer: C is supplied but relays nothing, so D (20 people) never works."),
    }
    for name, (assets, links, deps, out, expect, why) in small.items():
        d = os.path.join(HERE, "exact-" + name)
        write(os.path.join(d, "model", "assets.csv"), "id,sector,kind,role,population\n" + assets)
        yaml = "name: exact-%s\nassets: assets.csv\n" % name
        if links:
            write(os.path.join(d, "model", "links.csv"), "id,sector,from,to,kind\n" + links)
            yaml += "links: links.csv\n"
        if deps:
            write(os.path.join(d, "model", "dependencies.csv"), "consumer,provider,group,need\n" + deps)
            yaml += "dependencies: dependencies.csv\n"
        if "h," in assets:
            yaml += "sectors:\n  h: {supply: none}\n"
        write(os.path.join(d, "model", "network.yaml"), yaml)
        if out:
            ev = "  - type: outage\n    select: {ids: [%s], links: true}\n" % ", ".join(out)
        else:
            ev = "  - type: outage\n    select: {ids: [S]}\n    probability: 0\n"
        metrics = {f"people_without_service.{s}": {"mean": v, "tolerance": 0} for s, v in expect.items()}
        case("exact-" + name,
             f"name: exact-{name}\nnetwork: model/network.yaml\nevents:\n{ev}simulation: {{samples: 10, seed: 1}}\n",
             f"# Exact small system: {name}\n\n{why}\n\nComputed by hand from DESIGN.md section 2 (what working means).\n",
             metrics, "hand count, DESIGN.md section 2")
    # a probabilistic series: A and B each out with probability 0.5 => C works with 0.25
    d = os.path.join(HERE, "series-probabilistic")
    write(os.path.join(d, "model", "assets.csv"),
          "id,sector,kind,role,population\nS,p,plant,source,0\nA,p,sub,node,0\nB,p,sub,node,0\nC,p,sub,node,1\n")
    write(os.path.join(d, "model", "links.csv"), "id,sector,from,to,kind\n1,p,S,A,line\n2,p,A,B,line\n3,p,B,C,line\n")
    write(os.path.join(d, "model", "network.yaml"), "name: series-probabilistic\nassets: assets.csv\nlinks: links.csv\n")
    samples = 8000
    se = math.sqrt(0.75 * 0.25 / samples)
    case("series-probabilistic",
         f"name: series-probabilistic\nnetwork: model/network.yaml\nevents:\n"
         f"  - type: outage\n    select: {{ids: [A, B]}}\n    probability: 0.5\nsimulation: {{samples: {samples}, seed: 3}}\n",
         "# Series system with independent outages\n\nS–A–B–C; A and B are each out with probability 0.5, independently. C (1 person) works only\n"
         "when both work: P(C without service) = 1 − 0.5 × 0.5 = 0.75 (hand count). Tolerance: 4 Monte Carlo\n"
         f"standard errors, 4·sqrt(0.75·0.25/{samples}) = {4 * se:.4f}.\n",
         {"people_without_service.p": {"mean": 0.75, "tolerance": round(4 * se, 4)}},
         "hand count: 1 - 0.5^2")


if __name__ == "__main__":
    main()
