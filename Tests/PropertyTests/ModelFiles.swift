import Foundation
import TestSupport

/// The files of a random model (`network.yaml`, `assets.csv`, `links.csv`, `dependencies.csv`),
/// valid by construction (docs/formats.md sections 5–8), optionally with the table rows shuffled.
struct ModelFiles: CustomStringConvertible {
    /// Sector names that have assets, in the order `network.yaml` declares them.
    var sectors: [String] = []
    /// Supply mode per sector name (`sources`, `none`, `giant-component`).
    var modes: [String: String] = [:]
    /// Weight per sector name, for scenarios and N-1 losses.
    var weights: [String: Double] = [:]
    /// Owners and sectors that hold assets (selections must match something).
    var owners: Set<String> = []
    /// Sectors that have links.
    var linkedSectors: Set<String> = []
    var assetRows: [String] = [], linkRows: [String] = [], dependencyRows: [String] = []

    static let assetHeader = "id,sector,kind,role,owner,zone,lat,lon,population,repair_hours,repair_beta,flood_median,flood_beta"
    static let linkHeader = "id,sector,from,to,kind,directed"
    static let dependencyHeader = "consumer,provider,group,need,backup_hours,probability"

    /// The model of `r`; with `shuffle`, the rows of every table in an order drawn from `r.shuffle`.
    init(_ r: ModelRecipe, shuffle: Bool = false) {
        let names = ModelRecipe.sectorNames
        let n = r.assets.count
        var members = [[Int]](repeating: [], count: names.count)
        for (i, a) in r.assets.enumerated() { members[a.sector].append(i) }
        func id(_ i: Int) -> String { "\(names[r.assets[i].sector].prefix(1).uppercased())\(i)" }
        let owners = ["PowerCo", "WaterCo", "TelCo", "City"], zones = ["Z1", "Z2", "Z3"]
        for (i, a) in r.assets.enumerated() {
            let s = names[a.sector]
            assetRows.append(
                "\(id(i)),\(s),\(ModelRecipe.kinds[a.sector]),\(["source", "node", "consumer"][a.role]),"
                    + "\(owners[a.owner]),\(zones[a.zone]),48.\(400 + (i % 7) * 10),7.\(900 + (i / 7) * 10),"
                    + "\(a.population),24,0.5,\(0.5 + Double(i % 4) * 0.25),0.4")
            self.owners.insert(owners[a.owner])
        }
        for (k, l) in r.links.enumerated() {
            let from = l.from % n, sector = r.assets[from].sector
            let to = members[sector][l.to % members[sector].count]
            guard to != from else { continue }
            linkRows.append("L\(k),\(names[sector]),\(id(from)),\(id(to)),line,\(l.directed)")
            linkedSectors.insert(names[sector])
        }
        // one (need, backup) per requirement (consumer, group): the first row's; no repeated row
        var requirement: [String: (String, Int)] = [:], seen: Set<String> = []
        for d in r.dependencies {
            let c = d.consumer % n, p = d.provider % n
            guard c != p else { continue }
            let group = d.group == 0 ? names[r.assets[p].sector] : "g\(d.group)"
            guard seen.insert("\(c) \(p) \(group)").inserted else { continue }
            let key = "\(c) \(group)"
            let (need, backup) = requirement[key] ?? (["any", "all", "2", "3"][d.need], [0, 0, 4][d.backup])
            requirement[key] = (need, backup)
            dependencyRows.append("\(id(c)),\(id(p)),\(group),\(need),\(backup),\(d.uncertain ? "0.8" : "1")")
        }
        let used = (0..<names.count).filter { !members[$0].isEmpty }
        sectors = used.sorted { (r.order[$0], $0) < (r.order[$1], $1) }.map { names[$0] }
        for s in used {
            let name = names[s]
            switch r.modes[s] {
            case 1: modes[name] = "none"
            case 2 where r.giant && linkedSectors.contains(name): modes[name] = "giant-component"
            default: modes[name] = "sources"
            }
            weights[name] = [1, 2, 0.5][r.weights[s]]
        }
        if shuffle {
            var rng = SeededGenerator(seed: r.shuffle)
            assetRows.shuffle(using: &rng); linkRows.shuffle(using: &rng); dependencyRows.shuffle(using: &rng)
        }
    }

    var networkYAML: String {
        "name: random\nassets: assets.csv\nlinks: links.csv\ndependencies: dependencies.csv\nsectors:\n"
            + sectors.map { "  \($0): {supply: \(modes[$0]!)}\n" }.joined()
    }
    var assetsCSV: String { ([Self.assetHeader] + assetRows).joined(separator: "\n") + "\n" }
    var linksCSV: String { ([Self.linkHeader] + linkRows).joined(separator: "\n") + "\n" }
    var dependenciesCSV: String { ([Self.dependencyHeader] + dependencyRows).joined(separator: "\n") + "\n" }

    /// Writes the model into `dir` (created if needed).
    func write(to dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in [
            ("network.yaml", networkYAML), ("assets.csv", assetsCSV), ("links.csv", linksCSV),
            ("dependencies.csv", dependenciesCSV),
        ] {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    var description: String {
        "\n--- network.yaml\n\(networkYAML)--- assets.csv\n\(assetsCSV)--- links.csv\n\(linksCSV)--- dependencies.csv\n\(dependenciesCSV)"
    }
}

extension ModelRecipe: CustomStringConvertible {
    /// The model's files, so that a failure shows the model it failed on.
    var description: String { ModelFiles(self).description }
}
