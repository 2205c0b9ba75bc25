import Foundation
import InfraModel
import Stochastics

/// The reported facts of a situation as time intervals per element (assets 0..<A, then links
/// A + l), and the checks a report passes before it is accepted.
///
/// - `damaged` hits from its time until `restored` (or for `duration_hours` when given);
/// - `out` hits from its time for `duration_hours` (none: until `restored`);
/// - `hazard` hits an element whose damage probability at the observed intensity (the fragility
///   curve of docs/specification.md section 3) is at least 0.5, from its time until `restored`;
/// - `restored` ends every hit of its ids in force at its time;
/// - `retract` withdraws a report whatever the times (a correction of the record).
struct SituationFacts {
    enum Reason: UInt8 {
        case damaged = 0
        case out = 1
        case hazard = 2
    }
    struct Interval {
        var element: Int32
        var start: Double, end: Double
        var reason: Reason
        var report: Int
        var pDamage: Double
        var durationGiven: Bool
    }
    /// Every interval, in (start, report) order.
    var intervals: [Interval] = []
    /// What a hazard report reaches: elements, their intensities and damage probabilities.
    typealias HazardReach = (hazard: String, elements: [Int32], intensity: [Double], p: [Double])
    /// Per hazard report in force.
    var hazardReach: [Int: HazardReach] = [:]

    /// The facts of `s` known at report number `version` (all: `s.version`).
    init(_ s: Situation, upTo version: Int? = nil) {
        let v = version ?? s.version
        let reports = s.reports.filter { $0.number <= v }
        let retracted = Set(reports.compactMap { $0.report.type == .retract ? $0.report.report : nil })
        let live = reports.filter { !retracted.contains($0.number) && $0.report.type != .retract }
            .sorted { (Self.hours(s, $0), $0.number) < (Self.hours(s, $1), $1.number) }
        let net = s.source.scenario.network
        for a in live {
            let t = Self.hours(s, a), r = a.report
            switch r.type {
            case .damaged, .out:
                let end = r.durationHours.map { t + $0 } ?? .infinity
                for id in r.ids ?? [] {
                    guard let e = Self.element(net, id) else { continue }
                    intervals.append(
                        Interval(
                            element: e, start: t, end: end, reason: r.type == .damaged ? Reason.damaged : Reason.out,
                            report: a.number, pDamage: 1, durationGiven: r.durationHours != nil))
                }
            case .restored:
                let ids = Set((r.ids ?? []).compactMap { Self.element(net, $0) })
                for k in intervals.indices where ids.contains(intervals[k].element) && intervals[k].start <= t && intervals[k].end > t {
                    intervals[k].end = t
                }
            case .hazard:
                guard let reach = s.hazardReaches[a.number] else { continue }
                hazardReach[a.number] = reach
                for (k, e) in reach.elements.enumerated() where reach.p[k] >= 0.5 {
                    intervals.append(
                        Interval(
                            element: e, start: t, end: .infinity, reason: .hazard, report: a.number,
                            pDamage: reach.p[k], durationGiven: false))
                }
            case .retract: break
            }
        }
    }

    /// Hours from the situation's start to the report's time.
    static func hours(_ s: Situation, _ a: AcceptedReport) -> Double {
        (a.report.time ?? a.receivedAt).timeIntervalSince(s.startedAt) / 3600
    }

    /// The element an id names: asset index, or asset count + link index.
    static func element(_ net: Network, _ id: String) -> Int32? {
        switch net.element(id) {
        case .asset(let a): return a
        case .link(let l): return Int32(net.assets.count) + l
        case nil: return nil
        }
    }

    /// The id of element e.
    static func id(_ net: Network, _ e: Int32) -> String {
        e < Int32(net.assets.count) ? net.assetId(e) : net.linkId(e - Int32(net.assets.count))
    }

    /// The elements a hazard report reaches with intensity > 0, with their damage probabilities.
    /// - Throws: a problem for a footprint that is not a hazard event of the scenario, or an
    ///   element without a fragility curve for the hazard (as the command line refuses it).
    static func hazardReach(_ r: FieldReport, _ src: SituationSource) throws(RequestError)
        -> (hazard: String, elements: [Int32], intensity: [Double], p: [Double])
    {
        let sc = src.scenario, net = sc.network
        var reach = Reach()
        var hazard = r.hazard ?? ""
        if let areas = r.areas {
            let polys = areas.map { a in
                IntensityArea(
                    polygons: [
                        Polygon(
                            exterior: a.polygon[0].map { Point(x: $0[0], y: $0[1]) },
                            holes: a.polygon.dropFirst().map { $0.map { Point(x: $0[0], y: $0[1]) } })
                    ],
                    value: a.intensity)
            }
            let ev = Event(
                kind: .hazard(
                    name: hazard, intensity: .polygons(path: "report", property: "intensity", areas: polys),
                    uncertainty: Uncertainty()))
            reach = HazardField.reached(by: ev, network: net)
        } else if let f = r.footprint {
            guard src.isScenario else {
                throw RequestError(field: "footprint", "the service was started with a model, which has no hazard footprints: give areas")
            }
            let hazardEvents = sc.events.indices.filter {
                if case .hazard = sc.events[$0].kind { return true }; return false
            }
            var chosen: Int? = nil
            if let n = Int(f) {
                if n >= 1 && n <= sc.events.count, hazardEvents.contains(n - 1) { chosen = n - 1 }
            } else {
                let named = hazardEvents.filter { sc.events[$0].kind.typeName == f }
                if named.count == 1 { chosen = named[0] }
                if named.count > 1 {
                    throw RequestError(field: "footprint", "\(named.count) events of the scenario have hazard '\(f)': give the event's number")
                }
            }
            guard let e = chosen, let base = sc.events[e].reach else {
                let list = hazardEvents.map { "\($0 + 1) (\(sc.events[$0].kind.typeName))" }.joined(separator: ", ")
                throw RequestError(
                    field: "footprint",
                    "'\(f)' is not a hazard event of the scenario: expected one of \(list.isEmpty ? "none (it has no hazard event)" : list)")
            }
            let name = sc.events[e].kind.typeName
            if !hazard.isEmpty && hazard != name {
                throw RequestError(field: "hazard", "event \(e + 1) of the scenario is a '\(name)', not a '\(hazard)'")
            }
            hazard = name
            let k = r.scale ?? 1
            reach = base
            reach.assetIntensity = base.assetIntensity.map { $0 * k }
            reach.linkIntensity = base.linkIntensity.map { $0 * k }
        }
        var elements: [Int32] = [], intensity: [Double] = [], p: [Double] = []
        var problems = DiagnosticBag()
        func add(_ e: Int32, _ im: Double, _ common: ElementColumns, _ i: Int) {
            var median = Double.nan, beta = Double.nan
            if let cols = common.fragility[hazard] { median = cols.median[i]; beta = cols.beta[i] }
            if median.isNaN || beta.isNaN, let c = sc.fragility.damageCurve(kind: net.kinds[common.kind[i]], hazard: hazard) {
                if median.isNaN { median = c.median! }
                if beta.isNaN { beta = c.beta! }
            }
            guard median > 0, median.isFinite, beta >= 0, beta.isFinite else {
                problems.add(
                    "hazard",
                    "'\(id(net, e))' (kind '\(net.kinds[common.kind[i]])') has no fragility curve for '\(hazard)': add one to a fragility library of the scenario"
                )
                return
            }
            let c = log(im) - log(median)
            let prob = beta == 0 ? (im >= median ? 1.0 : 0.0) : Distributions.normalCDF(c / beta)
            elements.append(e); intensity.append(im); p.append(prob)
        }
        for (k, a) in reach.assets.enumerated() { add(a, reach.assetIntensity[k], net.assets.common, Int(a)) }
        for (k, l) in reach.links.enumerated() { add(Int32(net.assets.count) + l, reach.linkIntensity[k], net.links.common, Int(l)) }
        try problems.throwIfAny()
        return (hazard, elements, intensity, p)
    }

    /// Checks `r` against the situation: ids of the model, hazards with curves, report numbers,
    /// times within a year of the start and not in the future.
    static func check(_ r: FieldReport, in s: Situation, receivedAt: Date = Date()) throws(RequestError) {
        var p = DiagnosticBag()
        let net = s.source.scenario.network
        for (i, id) in (r.ids ?? []).enumerated() where element(net, id) == nil {
            p.add("ids[\(i)]", "unknown id '\(id)': expected an asset or link id of the model '\(net.name)'")
        }
        if let t = r.time {
            if t.timeIntervalSince(receivedAt) > 3600 { p.add("time", "is more than an hour in the future") }
            if t.timeIntervalSince(s.startedAt) < -8760 * 3600 { p.add("time", "is more than a year before the situation started") }
        }
        if r.type == .retract, let n = r.report {
            if n > s.version {
                p.add("report", "no report \(n): the situation has \(s.version)")
            } else if s.reports.first(where: { $0.number == n })?.report.type == .retract {
                p.add("report", "report \(n) is itself a retraction")
            }
        }
        if r.type == .hazard {
            do { _ = try hazardReach(r, s.source) } catch { for q in error.problems { p.add(q.field, q.message) } }
        }
        try p.throwIfAny()
    }
}
