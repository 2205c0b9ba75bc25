import Foundation
import InfraModel

/// A live situation: a model or scenario plus the field reports accepted so far.
/// A value: the service keeps one per situation, serialises changes to it, and computes on copies.
public struct Situation: Sendable {
    public let id: String
    public let name: String
    public let startedAt: Date
    public let source: SituationSource
    public private(set) var reports: [AcceptedReport] = []
    public private(set) var closedAt: Date?
    /// Per hazard report: what it reaches (computed once, at acceptance or restore).
    var hazardReaches: [Int: SituationFacts.HazardReach] = [:]

    public init(id: String, name: String, startedAt: Date, source: SituationSource) {
        self.id = id; self.name = name; self.startedAt = startedAt; self.source = source
    }

    /// Number of the last accepted report (0: none); the version of every answer.
    public var version: Int { reports.last?.number ?? 0 }

    public var summary: SituationSummary {
        SituationSummary(id: id, name: name, source: source.path, startedAt: startedAt, closedAt: closedAt, reports: reports.count)
    }

    /// Checks `report` against the model exactly as the command line checks its input (ids,
    /// hazards with fragility curves, ranges), without changing anything.
    /// - Throws: `RequestError` naming every field in error.
    public func check(_ report: FieldReport) throws(RequestError) {
        try SituationFacts.check(report, in: self)
    }

    /// Accepts a checked report as number `version + 1`.
    public mutating func accept(_ report: FieldReport, receivedAt: Date, by: String) throws(RequestError) {
        if closedAt != nil { throw RequestError(field: "", "the situation is closed") }
        try SituationFacts.check(report, in: self, receivedAt: receivedAt)
        var r = report
        if r.time == nil { r.time = receivedAt }
        let number = version + 1
        if r.type == .hazard { hazardReaches[number] = try SituationFacts.hazardReach(r, source) }
        reports.append(AcceptedReport(number: number, receivedAt: receivedAt, by: by, report: r))
    }

    /// Restores reports read back from storage (already checked when accepted), in number order.
    public mutating func restore(_ accepted: [AcceptedReport], closedAt: Date?) {
        reports = accepted.sorted { $0.number < $1.number }
        self.closedAt = closedAt
        hazardReaches = [:]
        for a in reports where a.report.type == .hazard {
            if let h = try? SituationFacts.hazardReach(a.report, source) { hazardReaches[a.number] = h }
        }
    }

    public mutating func close(at: Date) { if closedAt == nil { closedAt = at } }
}
