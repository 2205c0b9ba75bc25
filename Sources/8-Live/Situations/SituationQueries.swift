import Foundation

// The questions the service asks of a situation. Each computes on a copy of the situation, so
// the service may answer them outside its per-situation lock.
extension Situation {
    /// The static state at `at` on the reported facts: what is down and why, backups running,
    /// people without each service by sector and zone. Milliseconds on a municipality.
    public func state(at: Date, scope: Scope) -> SituationState {
        SituationClock(self).state(at: at, scope: scope)
    }

    /// What fails next: backups running down, and a forward timed Monte Carlo from `at`
    /// (restoration per sector with a band, warnings over the horizon, next failures).
    public func outlook(at: Date, settings: ForwardSettings, threads: Int, scope: Scope) throws(RequestError) -> Outlook {
        try ForwardRun(self, at: at, settings: settings).outlook(threads: threads, scope: scope)
    }

    /// The forward run with `action`, paired with the run without it on the same samples.
    public func whatIf(_ action: WhatIfAction, at: Date, settings: ForwardSettings, threads: Int) throws(RequestError) -> WhatIfResult {
        try ForwardRun(self, at: at, settings: settings).whatIf(action, threads: threads)
    }

    /// Warnings per zone and service from the state at `at` alone (no forward run): every zone
    /// that has lost a service now is `severe`. The outlook's warnings add probabilities.
    public func warningsNow(at: Date) -> [ZoneWarning] {
        SituationClock(self).warningsNow(at: at)
    }

    /// The need-to-know brief of `owner` at `at`.
    public func brief(owner: String, at: Date) throws(RequestError) -> OwnerBrief {
        try SituationClock(self).brief(owner: owner, at: at)
    }

    /// Each zone's area (hull of its assets, widened by about 200 m); empty without geographic coordinates.
    public func zoneAreas() -> [ZoneArea] { CAPWriter(self).zoneAreas() }

    /// CAP 1.2 alerts (one `<alert>` per zone and service, in an `<alerts>` list when several)
    /// for `warnings`, with area polygons from the zones' assets.
    public func capAlerts(_ warnings: [ZoneWarning], at: Date, sender: String) -> String {
        CAPWriter(self).document(warnings, at: at, sender: sender)
    }
}
