/// Role of an asset in its sector's supply network (docs/specification.md section 2).
public enum Role: UInt8, Sendable, CaseIterable {
    /// Produces its sector's service.
    case source
    /// Passes supply on along links (the default).
    case node
    /// Can be supplied, passes supply on to nobody.
    case consumer

    public init?(name: String) {
        switch name {
        case "source": self = .source
        case "node": self = .node
        case "consumer": self = .consumer
        default: return nil
        }
    }
    public var name: String { ["source", "node", "consumer"][Int(rawValue)] }
}

/// How a sector decides which assets are supplied.
public enum SupplyMode: String, Sendable, CaseIterable {
    /// Joined by working links to a working source (default).
    case sources
    /// Member of the largest working cluster (Buldyrev et al. 2010).
    case giantComponent = "giant-component"
    /// No network path needed.
    case none
}

/// Type of a dependency (Rinaldi, Peerenboom & Kelly 2001).
public enum DependencyType: UInt8, Sendable, CaseIterable {
    case physical, cyber, geographic, logical
    public init?(name: String) {
        switch name {
        case "physical": self = .physical
        case "cyber": self = .cyber
        case "geographic": self = .geographic
        case "logical": self = .logical
        default: return nil
        }
    }
    public var name: String { ["physical", "cyber", "geographic", "logical"][Int(rawValue)] }
}

/// How many providers of a requirement must be available; a count fits 32 bits (more providers
/// than that cannot be listed), so a value takes eight bytes.
public enum Need: Hashable, Sendable, CustomStringConvertible {
    case any
    case all
    case atLeast(Int32)

    public init?(name: String) {
        switch name {
        case "any": self = .any
        case "all": self = .all
        default:
            guard let k = Int32(name), k >= 1 else { return nil }
            self = .atLeast(k)
        }
    }
    public var description: String {
        switch self {
        case .any: "any"
        case .all: "all"
        case .atLeast(let k): String(k)
        }
    }
}

/// How asset coordinates are given: WGS84 degrees or metres of one projected system.
public enum CoordinateSystem: String, Sendable {
    case none
    case geographic // lat, lon
    case projected // x, y metres
}

/// Where a table row came from, for diagnostics.
public struct SourceRef: Sendable, Hashable {
    public var file: Int32 // index into Network.files
    public var line: Int32
    public init(file: Int32, line: Int32) { self.file = file; self.line = line }
}

/// A per-element fragility override for one hazard (NaN where the element has none).
public struct FragilityColumns: Sendable, Equatable {
    public var median: [Double]
    public var beta: [Double]
    public init(count: Int) {
        median = [Double](repeating: .nan, count: count)
        beta = [Double](repeating: .nan, count: count)
    }
}

/// Attributes shared by assets and links, stored column-wise (struct of arrays).
///
/// Absent numeric values are NaN; absent codes are -1.
public struct ElementColumns: Sendable, Equatable {
    public var sector = CodeColumn() // Network.sectors code
    public var kind = CodeColumn() // Network.kinds code
    public var owner = CodeColumn(absent: -1) // Network.owners code or -1
    public var zone = CodeColumn(absent: -1) // Network.zones code or -1
    public var x = DefaultedColumn<Double>(absent: .nan) // lon or x (NaN when absent)
    public var y = DefaultedColumn<Double>(absent: .nan) // lat or y
    public var priority = DefaultedColumn<Double>(absent: 0)
    public var repairHours = DefaultedColumn<Double>(absent: .nan)
    public var repairBeta = DefaultedColumn<Double>(absent: .nan)
    /// Per-hazard fragility overrides (`<hazard>_median`, `<hazard>_beta` columns).
    public var fragility: [String: FragilityColumns] = [:]
    public var source = SourceColumn()

    public init() {}
    public var count: Int { sector.count }

    /// Appends row `k` of `other` (fragility overrides included).
    public mutating func append(row k: Int, of other: ElementColumns) {
        let idx = count
        sector.append(other.sector[k]); kind.append(other.kind[k]); owner.append(other.owner[k])
        zone.append(other.zone[k]); x.append(other.x[k]); y.append(other.y[k])
        priority.append(other.priority[k]); repairHours.append(other.repairHours[k])
        repairBeta.append(other.repairBeta[k]); source.append(other.source[k])
        for (h, oc) in other.fragility where k < oc.median.count && !oc.median[k].isNaN {
            var fc = fragility[h] ?? FragilityColumns(count: 0)
            fragility[h] = nil
            while fc.median.count < idx { fc.median.append(.nan); fc.beta.append(.nan) }
            fc.median.append(oc.median[k]); fc.beta.append(oc.beta[k])
            fragility[h] = fc
        }
    }

    /// Removes every row, keeping capacity.
    public mutating func removeAll() {
        sector.removeAll(keepingCapacity: true); kind.removeAll(keepingCapacity: true)
        owner.removeAll(keepingCapacity: true); zone.removeAll(keepingCapacity: true)
        x.removeAll(keepingCapacity: true); y.removeAll(keepingCapacity: true)
        priority.removeAll(keepingCapacity: true); repairHours.removeAll(keepingCapacity: true)
        repairBeta.removeAll(keepingCapacity: true); source.removeAll(keepingCapacity: true)
        fragility.removeAll()
    }

    public mutating func reserve(_ n: Int) {
        sector.reserveCapacity(n); kind.reserveCapacity(n); owner.reserveCapacity(n)
        zone.reserveCapacity(n); x.reserveCapacity(n); y.reserveCapacity(n)
        priority.reserveCapacity(n); repairHours.reserveCapacity(n)
        repairBeta.reserveCapacity(n); source.reserveCapacity(n)
    }
}

/// The asset table.
public struct AssetTable: Sendable, Equatable {
    public var common = ElementColumns()
    public var role: [Role] = []
    public var population: [Double] = []
    /// Index of each asset's id in `Network.ids`.
    public var idIndex = IndexColumn()
    public init() {}
    public var count: Int { role.count }

    public mutating func reserve(_ n: Int) {
        common.reserve(n); role.reserveCapacity(n); population.reserveCapacity(n); idIndex.reserveCapacity(n)
    }
}

/// The link table: connections inside one sector's network.
public struct LinkTable: Sendable, Equatable {
    public var common = ElementColumns()
    public var from: [Int32] = [] // asset index
    public var to: [Int32] = [] // asset index
    public var directed = DefaultedColumn<Bool>(absent: false)
    public var lengthKm = DefaultedColumn<Double>(absent: .nan)
    /// Index of each link's id in `Network.ids`.
    public var idIndex = IndexColumn()
    public init() {}
    public var count: Int { from.count }

    public mutating func reserve(_ n: Int) {
        common.reserve(n); from.reserveCapacity(n); to.reserveCapacity(n); directed.reserveCapacity(n)
        lengthKm.reserveCapacity(n); idIndex.reserveCapacity(n)
    }
}

/// The dependency table: one row per (consumer, provider, group).
public struct DependencyTable: Sendable, Equatable {
    public var consumer: [Int32] = [] // asset index
    public var provider: [Int32] = [] // asset index
    public var type: [DependencyType] = []
    public var group: [Int32] = [] // Network.groups code
    /// Stored only when some row's need is not `any` (most models give none).
    public var need = DefaultedColumn<Need>(absent: .any)
    public var backupHours = DefaultedColumn<Double>(absent: 0)
    public var probability = DefaultedColumn<Double>(absent: 1)
    public var source = SourceColumn()
    public init() {}
    public var count: Int { consumer.count }

    public mutating func reserve(_ n: Int) {
        consumer.reserveCapacity(n); provider.reserveCapacity(n); type.reserveCapacity(n); group.reserveCapacity(n)
        need.reserveCapacity(n); backupHours.reserveCapacity(n); probability.reserveCapacity(n); source.reserveCapacity(n)
    }
}

/// What an id names: an asset or a link.
public enum Element: Hashable, Sendable {
    case asset(Int32)
    case link(Int32)
}

/// A whole model: assets, links, dependencies, sector supply modes (docs/specification.md section 2),
/// with every include merged under its prefix.
public struct Network: Sendable {
    public var name: String
    /// Files the model was read from (index = `SourceRef.file`).
    public var files: [String] = []
    /// One namespace for asset and link ids.
    public var ids = IdTable()
    /// For each id index: asset index ≥ 0, or -(link index + 1).
    public var idTarget = IndexColumn()
    public var assets = AssetTable()
    public var links = LinkTable()
    public var dependencies = DependencyTable()
    public var sectors = NamePool()
    /// Sector names in the order `network.yaml` declares them (the including model's own list
    /// first, then sectors first declared by included models, in include order).
    public var declaredSectorOrder: [String] = []
    /// Supply mode per sector code.
    public var supply: [SupplyMode] = []
    public var kinds = NamePool()
    public var owners = NamePool()
    public var zones = NamePool()
    public var groups = NamePool()
    public var coordinates: CoordinateSystem = .none

    public init(name: String) { self.name = name }

    /// The element an id names.
    public func element(_ id: String) -> Element? {
        guard let i = ids.find(id) else { return nil }
        let t = idTarget[Int(i)]
        return t >= 0 ? .asset(t) : .link(-t - 1)
    }
    /// The id of asset `a`.
    public func assetId(_ a: Int32) -> String { ids[assets.idIndex[Int(a)]] }
    /// The id of link `l`.
    public func linkId(_ l: Int32) -> String { ids[links.idIndex[Int(l)]] }

    /// The supply mode of sector `code`.
    public func supplyMode(sector code: Int32) -> SupplyMode { supply[Int(code)] }

    /// Sector codes in the step order of a `sequential` cascade (docs/specification.md section 2): declared
    /// sectors in `declaredSectorOrder`, then the others in byte order of their names.
    public var sequentialSectorOrder: [Int32] {
        var out: [Int32] = []
        var seen = Set<Int32>()
        for name in declaredSectorOrder { if let c = sectors.code(name), seen.insert(c).inserted { out.append(c) } }
        let rest = (0..<Int32(sectors.count)).filter { !seen.contains($0) }
            .sorted { Array(sectors.names[Int($0)].utf8).lexicographicallyPrecedes(Array(sectors.names[Int($1)].utf8)) }
        return out + rest
    }

    /// Interns a sector, defaulting its supply mode to `sources`.
    @discardableResult
    public mutating func internSector(_ name: String) -> Int32 {
        let c = sectors.intern(name)
        while supply.count < sectors.count { supply.append(.sources) }
        return c
    }
}
