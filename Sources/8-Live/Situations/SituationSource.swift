import InfraGraph
import InfraModel

/// The model or scenario a service was started with, loaded and compiled once.
public struct SituationSource: Sendable {
    /// The path given on the command line.
    public let path: String
    /// The scenario (a model alone becomes a scenario without events, timed, default settings).
    public let scenario: Scenario
    public let graph: CompiledGraph
    /// Whether `path` was a scenario (its hazard events can be named as footprints).
    public let isScenario: Bool
    /// Warnings of loading, as the command line prints them.
    public let warnings: [String]
    /// Each zone's area, computed once (see `zoneAreas(_:)`).
    public let zoneAreas: [ZoneArea]

    /// A source from a loaded scenario (`ScenarioLoader.loadScenarioOrModel`: the service
    /// loads, the domain computes); compiles its graph and zone areas once.
    public init(path: String, scenario: Scenario, isScenario: Bool, warnings: [String]) {
        self.path = path
        self.scenario = scenario
        self.graph = CompiledGraph(scenario.network)
        self.isScenario = isScenario
        self.warnings = warnings
        self.zoneAreas = Self.zoneAreas(scenario.network)
    }

    /// Each zone's area: the hull of its assets' points widened by 0.002°, as a closed ring of
    /// [lon, lat] positions; empty for models without geographic coordinates.
    static func zoneAreas(_ net: Network) -> [ZoneArea] {
        guard net.coordinates == .geographic else { return [] }
        var points: [Int32: [(Double, Double)]] = [:]
        let d = 0.002
        for a in 0..<net.assets.count {
            let z = net.assets.common.zone[a]
            let x = net.assets.common.x[a], y = net.assets.common.y[a]
            guard z >= 0, x.isFinite, y.isFinite else { continue }
            points[z, default: []].append(contentsOf: [(x - d, y - d), (x + d, y - d), (x + d, y + d), (x - d, y + d)])
        }
        var out: [ZoneArea] = []
        for (z, pts) in points {
            let hull = GeometryMath.convexHull(pts)
            guard hull.count >= 3 else { continue }
            let ring = hull + [hull[0]]
            out.append(ZoneArea(zone: net.zones[z], polygon: ring.map { [($0.0 * 1e5).rounded() / 1e5, ($0.1 * 1e5).rounded() / 1e5] }))
        }
        return out.sorted { $0.zone < $1.zone }
    }

    /// The model's name.
    public var name: String { scenario.network.name }
    /// Owners of the model, sorted.
    public var owners: [String] { scenario.network.owners.names.sorted() }
}
