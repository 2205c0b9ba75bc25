/// A selection of assets (and optionally links) by id and attributes (docs/specification.md section 3).
///
/// Keys combine with AND; values within one key with OR. Empty lists mean "no condition".
public struct Selection: Sendable, Equatable {
    public var ids: [String] = []
    public var sector: [String] = []
    public var kind: [String] = []
    public var owner: [String] = []
    public var zone: [String] = []
    /// Extends the selection to links.
    public var links = false
    public init() {}

    /// Whether the selection has no condition at all.
    public var isEmpty: Bool {
        ids.isEmpty && sector.isEmpty && kind.isEmpty && owner.isEmpty && zone.isEmpty
    }
}

/// The elements a selection matched on a network, sorted by index.
public struct SelectionMatch: Sendable, Equatable {
    public var assets: [Int32] = []
    public var links: [Int32] = []
    public init(assets: [Int32] = [], links: [Int32] = []) { self.assets = assets; self.links = links }
    public var isEmpty: Bool { assets.isEmpty && links.isEmpty }
}

/// Where a hazard event's intensities come from.
public enum IntensitySource: Sendable, Equatable {
    /// `{table: file.csv}`: per-id intensities; `values[i]` pairs (element, intensity).
    case table(path: String, values: [(Element, Double)])
    /// `{polygons: file.geojson, property: name}`: largest value of the containing polygons.
    case polygons(path: String, property: String, areas: [IntensityArea])
    /// `{centre, peak, decay_km}` or `{centre, peak, radius_km}`: a footprint by distance.
    case footprint(centre: Point, peak: Double, decayKm: Double?, radiusKm: Double?)
    /// `{value: v}`: the same everywhere.
    case value(Double)

    public static func == (a: IntensitySource, b: IntensitySource) -> Bool {
        switch (a, b) {
        case let (.table(p1, v1), .table(p2, v2)):
            return p1 == p2 && v1.count == v2.count && zip(v1, v2).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.polygons(p1, q1, a1), .polygons(p2, q2, a2)): return p1 == p2 && q1 == q2 && a1 == a2
        case let (.footprint(c1, k1, d1, r1), .footprint(c2, k2, d2, r2)):
            return c1 == c2 && k1 == k2 && d1 == d2 && r1 == r2
        case let (.value(x), .value(y)): return x == y
        default: return false
        }
    }
}

/// Lognormal intensity uncertainty: median-1 factors per sample and per zone.
public struct Uncertainty: Sendable, Equatable {
    public var eventSigma: Double = 0
    public var zoneSigma: Double = 0
    public init(eventSigma: Double = 0, zoneSigma: Double = 0) {
        self.eventSigma = eventSigma
        self.zoneSigma = zoneSigma
    }
}

/// How an `attack` chooses its targets.
public enum AttackStrategy: String, Sendable, CaseIterable {
    case random, degree, criticality, listed
}

/// What an event does.
public enum EventKind: Sendable, Equatable {
    /// A hazard (`flood`, `wind`, `heat`, `drought` or another named hazard).
    case hazard(name: String, intensity: IntensitySource, uncertainty: Uncertainty)
    /// Selected assets are out, each with `probability`, for `durationHours` (nil: whole horizon).
    case outage(probability: Double, durationHours: Double?)
    /// `count` assets chosen by `strategy` are damaged.
    case attack(count: Int, strategy: AttackStrategy)
    /// Selected sources are out for `durationHours`.
    case supplyInterruption(durationHours: Double?)
    /// Selected assets are out, without damage, for `durationHours`.
    case contamination(durationHours: Double?)

    /// The `type` key as written in the scenario.
    public var typeName: String {
        switch self {
        case .hazard(let name, _, _): name
        case .outage: "outage"
        case .attack: "attack"
        case .supplyInterruption: "supply_interruption"
        case .contamination: "contamination"
        }
    }
}

/// The elements a hazard event reaches with intensity > 0 and their base intensities (before
/// uncertainty factors), in index order.
public struct Reach: Sendable, Equatable {
    public var assets: [Int32] = []
    public var assetIntensity: [Double] = []
    public var links: [Int32] = []
    public var linkIntensity: [Double] = []
    public init() {}
}

/// One event of a scenario.
public struct Event: Sendable, Equatable {
    public var kind: EventKind
    /// For hazard events: what the event reaches, computed once when the scenario is loaded.
    public var reach: Reach?
    /// The written selection (nil: hazards act on everything with coordinates or a table entry).
    public var select: Selection?
    /// What the selection matched (nil when there is no `select`).
    public var match: SelectionMatch?
    public var startHours: Double = 0
    /// YAML line of the event, for messages.
    public var line: Int = 0
    public init(
        kind: EventKind, select: Selection? = nil, match: SelectionMatch? = nil,
        startHours: Double = 0, line: Int = 0
    ) {
        self.kind = kind
        self.select = select
        self.match = match
        self.startHours = startHours
        self.line = line
    }
}

/// Static or timed simulation.
public enum SimulationMode: String, Sendable {
    case `static`
    case timed
}

/// The `simulation` map.
public struct SimulationSettings: Sendable, Equatable {
    public var mode: SimulationMode = .static
    public var samples = 1000
    public var seed: UInt64 = 1
    /// nil: all cores.
    public var threads: Int?
    public var horizonHours: Double = 168
    public var stepHours: Double = 1
    public var targetRelativeCI: Double?
    /// How the rounds of the cascade treat sectors (docs/specification.md section 2).
    public var cascadeOrder: CascadeOrder = .simultaneous
    public init() {}
}

/// `simulation.cascade_order` (docs/specification.md section 2): `simultaneous` rounds (every sector's supply
/// step from the working set at the start of the round, then dependencies), or `sequential`
/// (sectors one after another, dependencies propagated after each: Buldyrev et al.'s
/// alternating process).
public enum CascadeOrder: String, Sendable, CaseIterable {
    case simultaneous, sequential
}

/// One mitigation action (docs/specification.md section 4).
public enum MitigationAction: Sendable, Equatable {
    case harden(select: Selection, match: SelectionMatch, medianFactor: Double?, undamageable: Bool)
    case backup(select: Selection, match: SelectionMatch, group: String, hours: Double)
    case redundantDependency(consumer: String, provider: String, group: String, need: Need)
    case redundantLink(id: String, sector: String, from: String, to: String, kind: String)
    case protectZone(zone: String, hazard: String, reduceBy: Double?, factor: Double?)
    case fasterRepair(select: Selection, match: SelectionMatch, factor: Double)
    case addCrews(owner: String, count: Int)
}

/// A mitigation option: a named set of actions with its cost.
public struct Mitigation: Sendable, Equatable {
    public var id: String
    public var cost: Double
    public var lifetimeYears: Double = 30
    public var annualCost: Double = 0
    public var actions: [MitigationAction]
    public init(
        id: String, cost: Double, lifetimeYears: Double = 30, annualCost: Double = 0,
        actions: [MitigationAction]
    ) {
        self.id = id
        self.cost = cost
        self.lifetimeYears = lifetimeYears
        self.annualCost = annualCost
        self.actions = actions
    }
}

/// A parsed, checked scenario with its network.
public struct Scenario: Sendable {
    public var name: String
    /// Path of the scenario file.
    public var path: String
    /// Path of the model's `network.yaml`.
    public var networkPath: String
    public var network: Network
    public var events: [Event]
    public var annualRate: Double?
    public var simulation = SimulationSettings()
    /// Sector name → weight in the headline loss (default 1).
    public var weights: [String: Double] = [:]
    /// Owner → number of repair crews.
    public var crews: [String: Int] = [:]
    /// The default fragility library read first (nil: none).
    public var defaultFragility: DefaultFragilitySource? = nil
    /// Extra fragility library paths, read after the default.
    public var fragilityPaths: [String] = []
    /// The merged fragility and repair library.
    public var fragility: FragilityLibrary
    public var valuePerPeopleHour: Double?
    public var discountRate: Double = 0.03
    public var mitigations: [Mitigation] = []
    /// The file name of this static scenario's timed twin (`<name>-timed.yaml` beside it), when
    /// one exists: where options acting only in timed mode are evaluated.
    public var timedTwin: String? = nil
    public var budget: Double?
    /// Per element (assets, then links): factor on its repair medians, from `faster_repair`
    /// mitigation actions (empty: 1 for every element).
    public var repairFactor: [Double] = []

    public init(
        name: String, path: String, networkPath: String, network: Network,
        events: [Event], fragility: FragilityLibrary
    ) {
        self.name = name
        self.path = path
        self.networkPath = networkPath
        self.network = network
        self.events = events
        self.fragility = fragility
    }

    /// The weight of sector `name` (1 when not given).
    public func weight(sector name: String) -> Double { weights[name] ?? 1 }
}
