import Foundation
// Temporary stubs so the service can be built against the API; replaced by the real modules.
enum SituationFacts { static func check(_ r: FieldReport, in s: Situation) throws(RequestError) {} }
struct SituationClock {
    let s: Situation
    init(_ s: Situation) { self.s = s }
    func state(at: Date, scope: Scope) -> SituationState {
        SituationState(situation: s.id, at: at, hours: 0, version: s.version, assets: 0, assetsDown: 0, linksDown: 0, down: [], onBackup: [], peopleWithout: [], peopleWithoutBySector: [:], others: nil, computeMs: 0)
    }
    func warningsNow(at: Date) -> [ZoneWarning] { [] }
    func brief(owner: String, at: Date) throws(RequestError) -> OwnerBrief {
        OwnerBrief(situation: s.id, owner: owner, at: at, version: s.version, down: [], onBackup: [], dependsOnDown: [], othersDependingOnIt: [], peopleWithoutBySector: [:])
    }
}
struct ForwardRun {
    let s: Situation; let at: Date; let settings: ForwardSettings
    init(_ s: Situation, at: Date, settings: ForwardSettings) { self.s = s; self.at = at; self.settings = settings }
    func outlook(threads: Int, scope: Scope) throws(RequestError) -> Outlook {
        Outlook(situation: s.id, at: at, version: s.version, samples: settings.samples, seed: 1, horizonHours: settings.horizonHours, onBackup: [], restoration: [], warnings: [], nextFailures: [], computeMs: 0)
    }
    func whatIf(_ a: WhatIfAction, threads: Int) throws(RequestError) -> WhatIfResult {
        WhatIfResult(situation: s.id, at: at, version: s.version, action: a, samples: settings.samples, seed: 1, horizonHours: settings.horizonHours, peopleHoursBaseline: 0, peopleHoursWithAction: 0, peopleHoursSaved: 0, savedCi95Low: 0, savedCi95High: 0, savedBySector: [:], computeMs: 0)
    }
}
struct CAPWriter {
    let s: Situation
    init(_ s: Situation) { self.s = s }
    func document(_ w: [ZoneWarning], at: Date, sender: String) -> String { "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"></alert>\n" }
}
extension FieldReport {
    /// Parses a report body (JSON object); unknown keys and wrong types are problems.
    public static func parse(_ body: Data) throws(RequestError) -> FieldReport { throw RequestError(field: "", "not yet") }
}
extension WhatIfAction {
    /// Parses a what-if body (JSON object: `action`, `ids`, `hours`, `group`, plus `samples`, `horizon_hours`, `seed`).
    public static func parse(_ body: Data) throws(RequestError) -> (WhatIfAction, ForwardSettings) { throw RequestError(field: "", "not yet") }
}
extension ForwardSettings {
    /// Reads `samples`, `horizon_hours` and `seed` from query parameters; unknown names are problems.
    public static func parse(query: [String: String]) throws(RequestError) -> ForwardSettings { ForwardSettings() }
}
