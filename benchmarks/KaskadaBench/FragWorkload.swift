import Cascade
import Dispatch
import InfraGraph
import InfraModel

// Workload 3 (shared/reference/README.md section 3): fragility Monte Carlo on a 4-sector dependency
// network of 100,000 assets, expressed as a Kaskada Network (supply `none` everywhere; the supply
// DAG and the cross-sector OR groups as requirement groups) and run through StaticCascade.
// Damage draws are made here (not by Kaskada's Hazards module), exactly as the reference makes them.
#if canImport(Glibc)
    import Glibc
#endif

enum Frag {
    static let assets = 100_000
    static let sectors = 4
    static let per = assets / sectors
    static let sources = 10
    static let structureSeed: UInt64 = 0x5000
    static func sampleSeed(_ m: Int) -> UInt64 { 0x6000 &+ UInt64(m) }
    static let theta = [0.30, 0.40, 0.35, 0.50]
    static let beta = [0.5, 0.5, 0.6, 0.6]
    static let sectorNames = ["power", "water", "fuel", "transport"]
    /// Published reference fractions (C; 50 samples: C and networkx agree).
    static let reference: [Int: [String]] = [
        1000: ["0.59388", "0.65376", "0.60590", "0.66370"],
        50: ["0.64593", "0.70967", "0.65845", "0.72043"],
    ]
}

/// The model and the damage probability P_i of every asset.
func buildFragNetwork() -> (Network, [Double]) {
    let n = Frag.assets, per = Frag.per
    var f = NetworkFiller(name: "fragility-4-sector", origin: "<kaskada-bench: workload 3, seed 0x5000>")
    f.reserve(assets: n, links: 0, dependencies: 2 * n + 2 * n)
    var sector: [Int32] = []
    for name in Frag.sectorNames {
        let c = f.net.internSector(name)
        f.net.supply[Int(c)] = .none
        sector.append(c)
    }
    let kind = f.net.kinds.intern("asset")
    let supplyGroup = f.net.groups.intern("supply")
    // a requirement on sector t is grouped under t's name (the loader's default group)
    let sectorGroup = Frag.sectorNames.map { f.net.groups.intern($0) }
    let prefixes: [StaticString] = ["power", "water", "fuel", "transport"]
    var prob = [Double](repeating: 0, count: n)
    for i in 0..<n {
        let s = i / per, j = i % per
        f.addAsset(prefixes[s], j, sector: sector[s], kind: kind, role: j < Frag.sources ? .source : .node)
    }
    var x = [UInt64](repeating: 0, count: 16)
    for i in 0..<n {
        let s = i / per, j = i % per
        for d in 0..<16 { x[d] = RefRNG.sm(Frag.structureSeed, UInt64(16 * i + d)) }
        let me = Int32(i)
        if j >= Frag.sources {
            let p1 = Int32(s * per) + Int32(RefRNG.randint(x[0], UInt32(j)))
            let p2 = Int32(s * per) + Int32(RefRNG.randint(x[1], UInt32(j)))
            f.addDependency(consumer: me, provider: p1, group: supplyGroup)
            if p2 != p1 { f.addDependency(consumer: me, provider: p2, group: supplyGroup) }
        }
        let im = 0.05 + 0.20 * RefRNG.u01(x[2])
        prob[i] = 0.5 * erfc(-(log(im) - log(Frag.theta[s])) / Frag.beta[s] / (2.0).squareRoot())
        var q = 0
        for t in 0..<Frag.sectors where t != s {
            let d0 = 3 + 4 * q
            q += 1
            if !(RefRNG.u01(x[d0]) < 0.3) { continue }
            let isOr = RefRNG.u01(x[d0 + 1]) < 0.5
            let m1 = Int32(t * per) + Int32(RefRNG.randint(x[d0 + 2], UInt32(per)))
            f.addDependency(consumer: me, provider: m1, group: sectorGroup[t])
            if isOr {
                let m2 = Int32(t * per) + Int32(RefRNG.randint(x[d0 + 3], UInt32(per)))
                if m2 != m1 { f.addDependency(consumer: me, provider: m2, group: sectorGroup[t]) }
            }
        }
    }
    f.checkColumns()
    return (f.net, prob)
}

/// `frag SAMPLES THREADS [--reps R] [--quiet]`.
func runFrag(_ args: [String]) {
    var pos: [String] = []
    var reps = 5
    var i = 0
    while i < args.count {
        switch args[i] {
        case "--reps": i += 1; guard i < args.count, let v = Int(args[i]), v >= 1 else { fail("--reps needs a count ≥ 1") }; reps = v
        case "--quiet": break
        default: pos.append(args[i])
        }
        i += 1
    }
    guard pos.count == 2, let samples = Int(pos[0]), let threads = Int(pos[1]), samples >= 1, threads >= 1 else {
        fail("usage: kaskada-bench frag SAMPLES THREADS [--reps 5]")
    }
    let t0 = now()
    let built = buildFragNetwork()
    var net = built.0
    let prob = built.1
    let t1 = now()
    let graph = CompiledGraph(net)
    let t2 = now()
    let rows = net.dependencies.count, links = net.links.count
    net = Network(name: "")
    let rssAfterBuild = currentRSSMiB() // the compiled graph and what the allocator kept
    let engine = StaticCascade(graph: graph)
    let n = Frag.assets, per = Frag.per
    // shared read-only inputs and the per-sample output, as raw buffers handed to the threads
    let probBuf = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
    _ = probBuf.initialize(from: prob)
    let linkHitBuf = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(links, 1))
    linkHitBuf.initialize(repeating: 0)
    let rowBuf = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(rows, 1))
    rowBuf.initialize(repeating: 1)
    let countBuf = UnsafeMutableBufferPointer<Int32>.allocate(capacity: samples * Frag.sectors) // sample-major
    defer { probBuf.deallocate(); linkHitBuf.deallocate(); rowBuf.deallocate(); countBuf.deallocate() }
    let pp = SharedPointer(base: probBuf.baseAddress!), lhp = SharedPointer(base: linkHitBuf.baseAddress!)
    let rpp = SharedPointer(base: rowBuf.baseAddress!), out = SharedPointer(base: countBuf.baseAddress!)
    var times: [Double] = []
    var firstFractions: [String]? = nil
    var deterministic = true
    for _ in 0..<reps {
        countBuf.initialize(repeating: -1)
        let ts = now()
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            // a contiguous chunk of samples; one workspace and one damage buffer per thread
            let lo = t * samples / threads, hi = (t + 1) * samples / threads
            guard lo < hi else { return }
            let ws = CascadeWorkspace(graph: graph)
            let hit = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: n)
            defer { hit.deallocate() }
            let p = pp.base
            let linkHit = UnsafeBufferPointer(start: lhp.base, count: links)
            let present = UnsafeBufferPointer(start: rpp.base, count: rows)
            for m in lo..<hi {
                let seed = Frag.sampleSeed(m)
                for a in 0..<n { hit[a] = RefRNG.u01(RefRNG.sm(seed, UInt64(a))) < p[a] ? 1 : 0 }
                engine.run(
                    assetHit: UnsafeBufferPointer(hit), linkHit: linkHit, rowPresent: present, workspace: ws,
                    allRowsPresent: true, noLinkHit: true)
                let al = ws.alive
                for s in 0..<Frag.sectors {
                    var c: Int32 = 0
                    for a in (s * per)..<((s + 1) * per) { c &+= Int32(al[a]) }
                    out.base[m * Frag.sectors + s] = c
                }
            }
        }
        times.append(now() - ts)
        // reduce in sample order
        var sum = [Double](repeating: 0, count: Frag.sectors)
        for m in 0..<samples { for s in 0..<Frag.sectors { sum[s] += Double(countBuf[m * Frag.sectors + s]) } }
        let fr = sum.map { fmt($0 / Double(samples) / Double(per), 5) }
        if let f = firstFractions { if f != fr { deterministic = false } } else { firstFractions = fr }
    }
    let meanP = prob.reduce(0, +) / Double(n)
    let med = median(times)
    var line = "tool=kaskada workload=frag samples=\(samples) threads=\(threads) reps=\(reps) "
    line += "build_s=\(fmt(t2 - t0, 4)) network_s=\(fmt(t1 - t0, 4)) compile_s=\(fmt(t2 - t1, 4)) "
    line += "median_s=\(fmt(med, 4)) min_s=\(fmt(times.min()!, 4)) max_s=\(fmt(times.max()!, 4)) samples_per_s=\(fmt(Double(samples) / med, 1)) "
    line += "mean_damage_prob=\(fmt(meanP, 5)) "
    line += "mean_functional_frac[power,water,fuel,transport]=\(firstFractions!.joined(separator: ",")) "
    line += "deterministic=\(deterministic) dependency_rows=\(rows) requirements=\(graph.requirementCount) "
    if let ref = Frag.reference[samples] { line += "reference_match=\(ref == firstFractions!) " }
    line += "rss_after_build_mib=\(fmt(rssAfterBuild, 1)) peak_rss_mib=\(fmt(peakRSSMiB(), 1))"
    print(line)
}
