import Foundation
import InfraModel
import ModelIO
import TestSupport
import Testing

// MARK: - paths and helpers

enum TestPaths {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = here.appendingPathComponent("Fixtures")
    /// The repository's `scenarios/` folder.
    static let scenarios = here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scenarios")
    static let defaultFragility = scenarios.appendingPathComponent("fragility/default.csv").path

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// Every shipped scenario: `scenarios/*.yaml` and `scenarios/<folder>/*.yaml`, except model
    /// descriptions (`network.yaml`, anything under `networks/`).
    static func shippedScenarios() -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        func yamls(in dir: URL) -> [URL] {
            ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .filter { $0 != "network.yaml" }
                .map { dir.appendingPathComponent($0) }
                // scenarios only (docs/specification.md section 4: top-level network and events), not couple.yaml
                .filter { ScenarioLoader.isScenario(path: $0.path) }
        }
        out += yamls(in: scenarios).map(\.path)
        for sub in (try? fm.contentsOfDirectory(atPath: scenarios.path)) ?? [] where !["networks", "generate", "fragility"].contains(sub) {
            var isDir: ObjCBool = false
            let d = scenarios.appendingPathComponent(sub)
            if fm.fileExists(atPath: d.path, isDirectory: &isDir), isDir.boolValue {
                out += yamls(in: d).map(\.path)
            }
        }
        return out.sorted().map { String($0.dropFirst(scenarios.path.count + 1)) }
    }
}

/// A temporary folder with the given files (relative path → contents), removed by `remove()`.
struct TempModel {
    let dir: URL
    init(_ files: [String: String]) throws {
        dir = TemporaryFolder.url("modelio")
        for (rel, text) in files {
            let p = dir.appendingPathComponent(rel)
            try FileManager.default.createDirectory(at: p.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: p, atomically: true, encoding: .utf8)
        }
    }
    var path: String { dir.path }
    func remove() { try? FileManager.default.removeItem(at: dir) }
}

extension Network {
    func asset(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        guard case .asset(let a)? = element(id) else {
            Issue.record("no asset '\(id)'", sourceLocation: sourceLocation)
            return 0
        }
        return Int(a)
    }

    func link(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        guard case .link(let l)? = element(id) else {
            Issue.record("no link '\(id)'", sourceLocation: sourceLocation)
            return 0
        }
        return Int(l)
    }

    func label(_ pool: NamePool, _ code: Int32) -> String? { code < 0 ? nil : pool[code] }

    /// Rows of the dependency table as readable tuples.
    func dependencyRows() -> [(consumer: String, provider: String, group: String, row: Int)] {
        (0..<dependencies.count).map {
            (assetId(dependencies.consumer[$0]), assetId(dependencies.provider[$0]), groups[dependencies.group[$0]], $0)
        }
    }

    func dependencyRow(_ consumer: String, _ provider: String, sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        guard let r = dependencyRows().first(where: { $0.consumer == consumer && $0.provider == provider }) else {
            Issue.record("no dependency \(consumer) → \(provider)", sourceLocation: sourceLocation)
            return 0
        }
        return r.row
    }

    /// Everything a loaded model says, element by element, as text (for comparing two loads).
    func fingerprint() -> [String] {
        func num(_ v: Double) -> String { v.isNaN ? "-" : String(v) }
        func common(_ c: ElementColumns, _ i: Int) -> String {
            var s = "\(sectors[c.sector[i]]) \(kinds[c.kind[i]]) \(label(owners, c.owner[i]) ?? "-") \(label(zones, c.zone[i]) ?? "-")"
            s += " \(num(c.x[i])) \(num(c.y[i])) \(num(c.priority[i])) \(num(c.repairHours[i])) \(num(c.repairBeta[i]))"
            for h in c.fragility.keys.sorted() { s += " \(h):\(num(c.fragility[h]!.median[i]))/\(num(c.fragility[h]!.beta[i]))" }
            return s
        }
        var out = [
            "name \(name)", "assets \(assets.count) links \(links.count) dependencies \(dependencies.count) ids \(ids.count)",
            "coordinates \(coordinates)",
        ]
        for (i, s) in sectors.names.enumerated() { out.append("sector \(s) \(supply[i].rawValue)") }
        for a in 0..<assets.count {
            out.append("asset \(assetId(Int32(a))) \(assets.role[a].name) \(assets.population[a]) \(common(assets.common, a))")
        }
        for l in 0..<links.count {
            out.append(
                "link \(linkId(Int32(l))) \(assetId(links.from[l]))→\(assetId(links.to[l])) \(links.directed[l]) \(num(links.lengthKm[l])) \(common(links.common, l))"
            )
        }
        for r in 0..<dependencies.count {
            let d = dependencies
            out.append(
                "dep \(assetId(d.consumer[r]))←\(assetId(d.provider[r])) \(d.type[r].name) \(groups[d.group[r]]) \(d.need[r]) \(d.backupHours[r]) \(d.probability[r]) line \(d.source[r].line)"
            )
        }
        return out
    }
}

// MARK: - shipped scenarios and models

@Suite("Shipped scenarios and models")
struct ShippedInputTests {
    @Test("every shipped scenario loads without error", arguments: TestPaths.shippedScenarios())
    func shippedScenario(_ rel: String) {
        let path = TestPaths.scenarios.appendingPathComponent(rel).path
        do {
            let (s, _) = try ScenarioLoader.load(path: path, defaultFragility: .file(TestPaths.defaultFragility))
            #expect(!s.name.isEmpty)
            #expect(!s.events.isEmpty)
            #expect(s.network.assets.count > 0)
        } catch {
            Issue.record("\(rel) does not load:\n\(error.description)")
        }
    }

    @Test("the shipped fragility library loads", .enabled(if: FileManager.default.fileExists(atPath: TestPaths.defaultFragility)))
    func defaultLibrary() throws {
        var lib = FragilityLibrary()
        try FragilityLoader.load(path: TestPaths.defaultFragility, into: &lib)
        #expect(!lib.curves.isEmpty)
    }

    @Test("the region model merges riverside/ and hillside/ and resolves cross-boundary dependencies")
    func region() throws {
        let dir = TestPaths.scenarios.appendingPathComponent("networks")
        let (net, _) = try NetworkLoader.load(path: dir.appendingPathComponent("region").path)
        let (river, _) = try NetworkLoader.load(path: dir.appendingPathComponent("riverside").path)
        let (hill, _) = try NetworkLoader.load(path: dir.appendingPathComponent("hillside").path)
        #expect(net.name == "region")
        let ids = (0..<net.assets.count).map { net.assetId(Int32($0)) }
        let riverIds = ids.filter { $0.hasPrefix("riverside/") }
        let hillIds = ids.filter { $0.hasPrefix("hillside/") }
        #expect(riverIds.count == river.assets.count)
        #expect(hillIds.count == hill.assets.count)
        // every id of the members, prefixed, is in the region; nothing unprefixed leaks in
        for a in 0..<river.assets.count { #expect(net.element("riverside/" + river.assetId(Int32(a))) != nil) }
        for a in 0..<hill.assets.count { #expect(net.element("hillside/" + hill.assetId(Int32(a))) != nil) }
        for l in 0..<river.links.count { #expect(net.element("riverside/" + river.linkId(Int32(l))) != nil) }
        #expect(net.element(river.assetId(0)) == nil)
        #expect(net.links.count >= river.links.count + hill.links.count)
        #expect(net.dependencies.count >= river.dependencies.count + hill.dependencies.count)

        // the region's own dependencies.csv: every row resolves to a dependency between those assets
        let text = try String(contentsOfFile: dir.appendingPathComponent("region/dependencies.csv").path, encoding: .utf8)
        var rows = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = rows.removeFirst()
        let ci = try #require(header.firstIndex(of: "consumer")), pi = try #require(header.firstIndex(of: "provider"))
        let loaded = Set(net.dependencyRows().map { "\($0.consumer)|\($0.provider)" })
        var crossBoundary = 0
        for r in rows where r.count > max(ci, pi) {
            #expect(loaded.contains("\(r[ci])|\(r[pi])"), "region dependency \(r[ci]) → \(r[pi]) not in the model")
            #expect(net.element(r[ci]) != nil && net.element(r[pi]) != nil)
            let cp = r[ci].split(separator: "/").dropLast().joined(separator: "/")
            let pp = r[pi].split(separator: "/").dropLast().joined(separator: "/")
            if cp != pp { crossBoundary += 1 }
        }
        #expect(crossBoundary > 0, "expected dependencies across the municipal boundary")
        // zones are prefixed, owners and sectors are not
        #expect(net.zones.names.contains { $0.hasPrefix("riverside/") })
        #expect(net.zones.names.contains { $0.hasPrefix("hillside/") })
        #expect(!net.owners.names.contains { $0.hasPrefix("riverside/") || $0.hasPrefix("hillside/") })
        #expect(!net.sectors.names.contains { $0.contains("/") })
        #expect(!net.groups.names.contains { $0.contains("/") })
        // the member's supply modes carry over
        let transport = try #require(net.sectors.code("transport"))
        #expect(net.supplyMode(sector: transport) == .giantComponent)
    }
}

// MARK: - a hand-made model with exact values

@Suite("Hand-made model: exact values")
struct HandModelTests {
    static func load(_ name: String = "hand") throws -> Network {
        try NetworkLoader.load(path: TestPaths.fixture(name)).network
    }

    @Test("counts, names and id lookup")
    func counts() throws {
        let net = try Self.load()
        #expect(net.name == "hand")
        #expect(net.assets.count == 9)
        #expect(net.links.count == 4)
        #expect(net.dependencies.count == 5)
        #expect(net.ids.count == 13)
        #expect(net.element("PS-1") != nil)
        #expect(net.element("n/PS-9") != nil)
        #expect(net.element("PS-9") == nil)
        #expect(net.element("n/NL-1").map { if case .link = $0 { true } else { false } } == true)
        #expect(net.element("NL-1") == nil)
        #expect(net.element("ps-1") == nil)
        #expect(net.assetId(Int32(net.asset("n/TW-1"))) == "n/TW-1")
        #expect(net.linkId(Int32(net.link("PL-1"))) == "PL-1")
    }

    @Test("sector codes and supply modes")
    func sectors() throws {
        let net = try Self.load()
        #expect(Set(net.sectors.names) == ["power", "water", "health", "transport", "telecom"])
        #expect(net.supply.count == net.sectors.count)
        let mode = { (s: String) -> SupplyMode? in net.sectors.code(s).map { net.supplyMode(sector: $0) } }
        #expect(mode("power") == .sources)
        #expect(mode("transport") == .giantComponent)
        #expect(mode("health") == SupplyMode.none)
        #expect(mode("water") == .sources) // not declared: sources
        #expect(mode("telecom") == .sources) // declared nowhere, from the included model
        #expect(net.assets.common.sector[net.asset("PS-1")] == net.sectors.code("power"))
        #expect(net.assets.common.sector[net.asset("n/PS-9")] == net.sectors.code("power"))
        #expect(net.assets.common.sector[net.asset("HOSP")] == net.sectors.code("health"))
        #expect(net.kinds[net.assets.common.kind[net.asset("J-1")]] == "road_junction")
        #expect(net.kinds[net.assets.common.kind[net.asset("n/TW-1")]] == "cell_tower")
    }

    @Test("roles, owners, zones, population, priority, coordinates")
    func assetColumns() throws {
        let net = try Self.load()
        let c = net.assets.common
        #expect(net.assets.role[net.asset("PS-1")] == .source)
        #expect(net.assets.role[net.asset("PS-2")] == .node)
        #expect(net.assets.role[net.asset("HOSP")] == .consumer)
        #expect(net.assets.role[net.asset("J-1")] == .node) // blank: node
        #expect(net.assets.population[net.asset("PS-2")] == 1200)
        #expect(net.assets.population[net.asset("WP-1")] == 800)
        #expect(net.assets.population[net.asset("PS-1")] == 0)
        #expect(net.assets.population[net.asset("n/TW-1")] == 300)
        #expect(net.assets.population[net.asset("n/SS-9")] == 40)
        #expect(net.coordinates == .geographic)
        #expect(c.x[net.asset("PS-1")] == 7.9002)
        #expect(c.y[net.asset("PS-1")] == 48.4001)
        #expect(c.x[net.asset("n/TW-1")] == 7.96)
        #expect(c.y[net.asset("n/TW-1")] == 48.51)
        #expect(c.priority[net.asset("PS-1")] == 5)
        #expect(c.priority[net.asset("HOSP")] == 10)
        #expect(c.priority[net.asset("PS-2")] == 0)
        #expect(c.repairHours[net.asset("PS-1")] == 36)
        #expect(c.repairBeta[net.asset("PS-1")] == 0.4)
        #expect(c.repairHours[net.asset("PS-2")].isNaN)
        #expect(c.repairBeta[net.asset("PS-2")].isNaN)
        #expect(net.label(net.owners, c.owner[net.asset("PS-1")]) == "GridCo")
        #expect(net.label(net.zones, c.zone[net.asset("PS-1")]) == "Z1")
        #expect(net.label(net.zones, c.zone[net.asset("HOSP")]) == "Z2")
        // source rows
        let src = c.source[net.asset("WP-1")]
        #expect(net.files[Int(src.file)].hasSuffix("Fixtures/hand/assets.csv"))
        #expect(src.line == 4)
    }

    @Test("fragility override columns")
    func fragilityOverrides() throws {
        let net = try Self.load()
        let f = try #require(net.assets.common.fragility["flood"])
        #expect(f.median.count == net.assets.count)
        #expect(f.beta.count == net.assets.count)
        #expect(f.median[net.asset("PS-1")] == 1.2)
        #expect(f.beta[net.asset("PS-1")] == 0.6)
        #expect(f.median[net.asset("WP-1")] == 0.8)
        #expect(f.beta[net.asset("WP-1")] == 0.3)
        #expect(f.median[net.asset("PS-2")].isNaN)
        #expect(f.beta[net.asset("PS-2")].isNaN)
        #expect(f.median[net.asset("n/PS-9")].isNaN) // the included model has no override
        #expect(net.assets.common.fragility.keys.sorted() == ["flood"])
        let lf = try #require(net.links.common.fragility["flood"])
        #expect(lf.median.count == net.links.count)
        #expect(lf.median[net.link("PL-1")] == 3.5)
        #expect(lf.beta[net.link("PL-1")] == 0.7)
        #expect(lf.median[net.link("R-1")].isNaN)
        #expect(lf.median[net.link("n/NL-1")].isNaN)
    }

    @Test("links: ends, direction flag, length, default owner")
    func links() throws {
        let net = try Self.load()
        let pl = net.link("PL-1"), r1 = net.link("R-1"), r2 = net.link("R-2"), nl = net.link("n/NL-1")
        #expect(net.assetId(net.links.from[pl]) == "PS-1")
        #expect(net.assetId(net.links.to[pl]) == "PS-2")
        #expect(net.links.directed[pl] == true)
        #expect(net.links.directed[r1] == false) // "FALSE", case-insensitive
        #expect(net.links.directed[r2] == false) // blank: undirected
        #expect(net.links.directed[nl] == true)
        #expect(net.assetId(net.links.from[nl]) == "n/PS-9")
        #expect(net.assetId(net.links.to[nl]) == "n/SS-9")
        #expect(net.links.lengthKm[pl] == 2.5)
        #expect(net.links.lengthKm[r2].isNaN)
        #expect(net.sectors[net.links.common.sector[pl]] == "power")
        #expect(net.kinds[net.links.common.kind[pl]] == "cable")
        #expect(net.label(net.owners, net.links.common.owner[pl]) == "GridCo") // owner of `from`
        #expect(net.label(net.owners, net.links.common.owner[r1]) == "Roads")
        #expect(net.links.common.zone[r1] == -1) // no default zone
    }

    @Test("requirements: need, backup, group, probability, type")
    func requirements() throws {
        let net = try Self.load()
        let d = net.dependencies
        let a = net.dependencyRow("HOSP", "PS-2"), b = net.dependencyRow("HOSP", "n/PS-9")
        let w = net.dependencyRow("HOSP", "WP-1"), p = net.dependencyRow("WP-1", "PS-2")
        let t = net.dependencyRow("n/TW-1", "n/SS-9")
        #expect(net.groups[d.group[a]] == "power")
        #expect(d.group[a] == d.group[b])
        #expect(d.need[a] == .all && d.need[b] == .all)
        #expect(d.backupHours[a] == 48 && d.backupHours[b] == 48)
        #expect(d.probability[a] == 1)
        #expect(d.probability[b] == 0.9)
        #expect(d.type[a] == .physical)
        #expect(net.groups[d.group[w]] == "water")
        #expect(d.need[w] == .atLeast(2))
        #expect(d.backupHours[w] == 0)
        // blank group: the provider's sector; blank probability: 1
        #expect(net.groups[d.group[p]] == "power")
        #expect(d.type[p] == .cyber)
        #expect(d.need[p] == .any)
        #expect(d.backupHours[p] == 6)
        #expect(d.probability[p] == 1)
        // the included model's own dependency, its columns defaulted
        #expect(net.groups[d.group[t]] == "grid")
        #expect(d.type[t] == .physical && d.need[t] == .any && d.backupHours[t] == 0 && d.probability[t] == 1)
        #expect(d.source[a].line == 2)
        #expect(net.files[Int(d.source[t].file)].hasSuffix("Fixtures/hand/north/dependencies.csv"))
    }

    @Test("include prefix applies to ids and zones, not to owners, sectors or groups")
    func includePrefix() throws {
        let net = try Self.load()
        #expect(Set(net.zones.names) == ["Z1", "Z2", "n/Z1", "n/Z3"])
        #expect(net.label(net.zones, net.assets.common.zone[net.asset("n/PS-9")]) == "n/Z1")
        #expect(net.assets.common.zone[net.asset("n/PS-9")] != net.assets.common.zone[net.asset("PS-1")])
        #expect(Set(net.owners.names) == ["GridCo", "WaterWorks", "County", "Roads", "TelcoNorth"])
        #expect(net.assets.common.owner[net.asset("n/PS-9")] == net.assets.common.owner[net.asset("PS-1")])
        #expect(!net.sectors.names.contains { $0.hasPrefix("n/") })
        #expect(Set(net.groups.names) == ["power", "water", "grid"])
        let ids = (0..<net.assets.count).map { net.assetId(Int32($0)) }
        #expect(Set(ids) == ["PS-1", "PS-2", "WP-1", "HOSP", "J-1", "J-2", "n/PS-9", "n/TW-1", "n/SS-9"])
    }

    @Test("a UTF-8 BOM and CRLF copy loads identically to the LF original")
    func bomCRLF() throws {
        let raw = try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("hand-bom-crlf/assets.csv"))
        #expect(Array(raw.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(raw.contains(13))
        let lf = try Self.load("hand"), crlf = try Self.load("hand-bom-crlf")
        #expect(crlf.assets.count == lf.assets.count)
        #expect(crlf.links.count == lf.links.count)
        #expect(crlf.dependencies.count == lf.dependencies.count)
        #expect(crlf.assets.population == lf.assets.population)
        let a = lf.fingerprint(), b = crlf.fingerprint()
        #expect(a.count == b.count)
        for (x, y) in zip(a, b) { #expect(x == y) }
    }

    @Test("quoted CSV fields: commas, doubled quotes, line breaks, quoted numbers")
    func quoted() throws {
        let net = try NetworkLoader.load(path: TestPaths.fixture("quoted")).network
        #expect(net.assets.count == 5)
        let owner = { (id: String) in net.label(net.owners, net.assets.common.owner[net.asset(id)]) }
        #expect(owner("Q-1") == "Power, Inc.")
        #expect(owner("Q-2") == "The \"Grid\" Co")
        #expect(owner("Q-3") == "Saint Mary's, \"North\" Wing")
        #expect(owner("Q-4") == "two\nlines")
        #expect(owner("Q-5") == nil) // "" is blank
        #expect(net.label(net.zones, net.assets.common.zone[net.asset("Q-2")]) == "Z1")
        #expect(net.assets.population[net.asset("Q-2")] == 20)
        #expect(net.assets.population[net.asset("Q-5")] == 8)
        // the row after a field with a line break starts on physical line 7
        #expect(net.assets.common.source[net.asset("Q-5")].line == 7)
        let r = net.dependencyRow("Q-3", "Q-2")
        #expect(net.groups[net.dependencies.group[r]] == "backup-power")
    }

    @Test("line numbers after a quoted line break are physical lines")
    func quotedLineNumbers() throws {
        let m = try TempModel([
            "network.yaml": "name: q\nassets: assets.csv\n",
            "assets.csv": "id,sector,kind,owner,population\nA1,power,substation,\"x\ny\nz\",1\nA2,power,substation,o,-5\n",
        ])
        defer { m.remove() }
        do {
            _ = try NetworkLoader.load(path: m.path)
            Issue.record("loaded without error")
        } catch {
            let e = error.diagnostics.errors
            #expect(e.count == 1)
            #expect(e.first?.line == 5)
            #expect(e.first?.field == "population")
        }
    }

    @Test("the corpus base model and scenario load without error")
    func miniBase() throws {
        let (net, warnings) = try NetworkLoader.load(path: TestPaths.fixture("mini"))
        #expect(net.assets.count == 4 && net.links.count == 1 && net.dependencies.count == 3)
        #expect(warnings.isEmpty, "\(warnings)")
        let (s, _) = try ScenarioLoader.load(path: TestPaths.fixture("mini") + "/scenario.yaml", defaultFragility: nil)
        #expect(s.name == "case")
        #expect(s.events.count == 1)
        #expect(s.fragility.damageCurve(kind: "substation", hazard: "flood")?.median == 1.0)
        #expect(s.events.first?.match?.assets.count == 2)
    }

    @Test("whitespace around CSV names is trimmed (docs/decisions.md 7)")
    func trimmedNames() throws {
        let m = try TempModel([
            "network.yaml": "name: t\nassets: assets.csv\nlinks: links.csv\n",
            "assets.csv": "id,sector,kind,owner,zone,population\nA1, power , substation , PowerCo ,Z1, 5 \nA2,power,substation,PowerCo,Z1,1\n",
            "links.csv": "id,sector,from,to,kind\nL1,power,A1,A2, line\n",
        ])
        defer { m.remove() }
        let net = try NetworkLoader.load(path: m.path).network
        #expect(net.sectors.names == ["power"])
        #expect(net.kinds.names.sorted() == ["line", "substation"])
        #expect(net.owners.names == ["PowerCo"])
        #expect(net.assets.population[net.asset("A1")] == 5)
        #expect(net.links.count == 1)
    }

    @Test("nested includes concatenate prefixes (docs/decisions.md 4)")
    func nestedIncludes() throws {
        let m = try TempModel([
            "a/network.yaml": "name: a\nassets: assets.csv\ndependencies: dependencies.csv\ninclude:\n  - {path: ../b, prefix: \"b/\"}\n",
            "a/assets.csv": "id,sector,kind,zone\nA1,health,hospital,ZA\n",
            "a/dependencies.csv": "consumer,provider\nA1,b/c/C1\n",
            "b/network.yaml": "name: b\nassets: assets.csv\nlinks: links.csv\ninclude:\n  - {path: ../c/network.yaml, prefix: \"c/\"}\n",
            "b/assets.csv": "id,sector,kind,role,zone\nB1,power,substation,source,ZB\n",
            "b/links.csv": "id,sector,from,to,kind\nBL,power,B1,c/C1,line\n",
            "c/network.yaml": "name: c\nassets: assets.csv\n",
            "c/assets.csv": "id,sector,kind,zone,owner\nC1,power,substation,ZC,GridCo\n",
        ])
        defer { m.remove() }
        let net = try NetworkLoader.load(path: m.path + "/a").network
        #expect(net.name == "a")
        #expect(Set((0..<net.assets.count).map { net.assetId(Int32($0)) }) == ["A1", "b/B1", "b/c/C1"])
        #expect(net.linkId(0) == "b/BL")
        #expect(net.assetId(net.links.from[0]) == "b/B1" && net.assetId(net.links.to[0]) == "b/c/C1")
        #expect(Set(net.zones.names) == ["ZA", "b/ZB", "b/c/ZC"])
        #expect(net.owners.names == ["GridCo"])
        #expect(net.dependencyRows().map { "\($0.consumer)<-\($0.provider) \($0.group)" } == ["A1<-b/c/C1 power"])
    }

    @Test("a per-asset fragility column stands in for a missing library curve")
    func overrideSatisfiesReach() throws {
        let m = try TempModel([
            "network.yaml": "name: o\nassets: assets.csv\n",
            "assets.csv": "id,sector,kind,flood_median,flood_beta\nW1,water,pump_station,1.5,0.4\nW2,water,pump_station,,\n",
            "fragility.csv": "kind,hazard,median,beta,repair_median_hours,repair_beta,source\nsubstation,flood,1,0.5,,,test\n",
            "ok.yaml":
                "name: ok\nnetwork: network.yaml\nfragility: fragility.csv\nevents:\n  - type: flood\n    intensity: {value: 1}\n    select: {ids: [W1]}\n",
            "bad.yaml": "name: bad\nnetwork: network.yaml\nfragility: fragility.csv\nevents:\n  - type: flood\n    intensity: {value: 1}\n",
        ])
        defer { m.remove() }
        let (s, _) = try ScenarioLoader.load(path: m.path + "/ok.yaml", defaultFragility: nil)
        #expect(s.events.count == 1)
        do {
            _ = try ScenarioLoader.load(path: m.path + "/bad.yaml", defaultFragility: nil)
            Issue.record("W2 has no flood curve, the scenario must not load")
        } catch {
            let e = error.diagnostics.errors
            #expect(e.count == 1)
            #expect(e.first?.field == "events[0].type")
            #expect(e.first?.message.contains("'W2'") == true)
            #expect(e.first?.message.contains("1 element(s) of kind 'pump_station'") == true)
        }
    }
}

// MARK: - NumberParser

@Suite("NumberParser")
struct NumberParserTests {
    @Test(
        "exact values",
        arguments: [
            ("0.1", 0.1), ("1e3", 1000.0), ("1E3", 1000.0), ("2.5", 2.5), ("-7", -7.0), ("+3.25", 3.25),
            (".5", 0.5), ("5.", 5.0), ("0.3", 0.3), ("123.456", 123.456), ("1e-3", 0.001), ("-1.5E-3", -0.0015),
            ("  42  ", 42.0), ("0.000001", 0.000001), ("123456789012345", 123456789012345.0),
            ("9007199254740993", 9007199254740992.0), ("1.7976931348623157e308", Double.greatestFiniteMagnitude),
            ("4.9e-324", Double.leastNonzeroMagnitude), ("0.1234567890123456789", 0.1234567890123456789),
            ("00012", 12.0),
        ])
    func exact(_ text: String, _ value: Double) {
        #expect(NumberParser.parse(text) == .value(value))
    }

    @Test("minus zero")
    func minusZero() throws {
        guard case .value(let v) = NumberParser.parse("-0") else { Issue.record("not a number"); return }
        #expect(v == 0)
        #expect(v.sign == .minus)
        #expect(NumberParser.parse("0") == .value(0))
    }

    @Test(
        "rejects what is not a finite decimal",
        arguments: [
            "nan", "NaN", "inf", "-inf", "Infinity", "0x10", "1,5", "1.5.2", "abc", "1e", "--1", "1-2", ".", "+", "-",
            "1e400", "1 000", "12a", "½",
        ])
    func rejects(_ text: String) {
        guard case .invalid = NumberParser.parse(text) else {
            Issue.record("'\(text)' was accepted as \(NumberParser.parse(text))")
            return
        }
    }

    @Test("blank fields")
    func blank() {
        #expect(NumberParser.parse("") == .blank)
        #expect(NumberParser.parse("   ") == .blank)
        #expect(NumberParser.parse("\t") == .blank)
    }

    @Test("agrees with Double(String) on random decimals")
    func randomDecimals() {
        var g = SeededGenerator(seed: 20261205) // seeded: a failure can be replayed
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...19, using: &g)
            var s = Bool.random(using: &g) ? "-" : ""
            let dot = Int.random(in: 0...digits, using: &g)
            for i in 0..<digits {
                if i == dot && i > 0 { s += "." }
                s += String(Int.random(in: 0...9, using: &g))
            }
            if Int.random(in: 0..<4, using: &g) == 0 { s += "e\(Int.random(in: -30...30, using: &g))" }
            let expected = Double(s)!
            #expect(NumberParser.parse(s) == .value(expected), "\(s)")
        }
    }
}

// MARK: - IdTable

@Suite("IdTable")
struct IdTableTests {
    @Test("100,000 ids round-trip through insert, find and subscript")
    func roundTrip() {
        var t = IdTable()
        let n = 100_000
        for i in 0..<n {
            let (idx, inserted) = t.insert("asset/\(i)-x")
            #expect(inserted && idx == Int32(i))
            if !inserted || idx != Int32(i) { return }
        }
        #expect(t.count == n)
        var bad = 0
        for i in 0..<n {
            if t.find("asset/\(i)-x") != Int32(i) { bad += 1 }
            if t[Int32(i)] != "asset/\(i)-x" { bad += 1 }
            let (idx, inserted) = t.insert("asset/\(i)-x")
            if inserted || idx != Int32(i) { bad += 1 }
        }
        #expect(bad == 0)
        #expect(t.count == n)
        #expect(t.find("asset/\(n)-x") == nil)
        #expect(t.find("") == nil)
        #expect(t.find("asset/1") == nil)
        // empty and long ids
        let long = String(repeating: "k", count: 10_000)
        let l = t.insert(long)
        #expect(l.index == Int32(n) && l.inserted)
        #expect(t.find(long) == Int32(n))
        let e = t.insert("")
        #expect(e.index == Int32(n + 1) && e.inserted)
        #expect(t.find("") == Int32(n + 1))
        #expect(t[Int32(n + 1)] == "")
        #expect(t.less(t.find("asset/10-x")!, t.find("asset/9-x")!))
    }

    @Test("a released index: ids stay readable, lookups rebuild it (also from several threads), inserts go on")
    func releasedIndex() async {
        var t = IdTable()
        let n = 50_000
        for i in 0..<n { t.insert("n\(i)") }
        let copy = t
        t.releaseIndex()
        #expect(!t.hasIndex && !copy.hasIndex) // one storage: the copy shares the released index
        #expect(t[Int32(n - 1)] == "n\(n - 1)" && t.less(0, 1))
        // concurrent lookups on the shared storage: one rebuild, every answer right
        let bad = await withTaskGroup(of: Int.self) { g in
            for part in 0..<4 {
                g.addTask {
                    var b = 0
                    for i in stride(from: part, to: n, by: 4) where copy.find("n\(i)") != Int32(i) { b += 1 }
                    if copy.find("missing") != nil { b += 1 }
                    return b
                }
            }
            return await g.reduce(0, +)
        }
        #expect(bad == 0)
        #expect(t.hasIndex)
        t.releaseIndex()
        #expect(t.insert("n7") == (7, false))
        #expect(t.insert("new") == (Int32(n), true))
        #expect(t.find("new") == Int32(n) && copy.find("new") == nil && copy.count == n)
    }

    @Test("copy on write: mutating a copy leaves the original unchanged")
    func copyOnWrite() {
        var original = IdTable()
        for i in 0..<100_000 { original.insert("id-\(i)") }
        var copy = original
        for i in 100_000..<150_000 { copy.insert("id-\(i)") } // forces rehashes in the copy
        #expect(copy.count == 150_000)
        #expect(original.count == 100_000)
        #expect(original.find("id-100000") == nil)
        #expect(original.find("id-149999") == nil)
        #expect(copy.find("id-149999") == 149_999)
        var bad = 0
        for i in stride(from: 0, to: 100_000, by: 7) {
            if original.find("id-\(i)") != Int32(i) || copy.find("id-\(i)") != Int32(i) { bad += 1 }
            if original[Int32(i)] != "id-\(i)" { bad += 1 }
        }
        #expect(bad == 0)
        // and the other way round: mutate the original after copying
        let snapshot = original
        original.insert("only-in-original")
        original.reserve(300_000)
        #expect(snapshot.find("only-in-original") == nil)
        #expect(snapshot.count == 100_000)
        #expect(original.find("only-in-original") == 100_000)
        #expect(original.find("id-99999") == 99_999)
        // reserve on a shared copy must not change the other
        var r = snapshot
        r.reserve(1_000_000)
        r.insert("after-reserve")
        #expect(snapshot.find("after-reserve") == nil)
        #expect(r.find("id-5") == 5)
    }

    @Test("byte and String lookups agree")
    func bytes() {
        var t = IdTable(minimumCapacity: 4)
        t.insert("Z1")
        t.insert("Zürich/Ost")
        var s = "Zürich/Ost"
        let viaBytes = s.withUTF8 { t.find($0) }
        #expect(viaBytes == 1)
        t.withBytes(1) { #expect(Array($0) == Array("Zürich/Ost".utf8)) }
    }
}
