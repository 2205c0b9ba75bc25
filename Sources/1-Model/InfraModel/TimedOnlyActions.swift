/// Which mitigation actions can change a static run (docs/decisions.md #57).
///
/// A static run treats every backup as exhausted and repairs nothing (docs/specification.md section 5), so
/// `backup`, `faster_repair` and `add_crews` change no sample there: only a timed run can value
/// them. Knowing this up front lets `validate` and `run` warn, and lets the option evaluator
/// report such an option as not evaluated (with the reason and the timed twin) instead of a
/// reduction of 0 that reads like a finding.
public extension MitigationAction {
    /// The action acts only through backup hours, repair times or crews (timed mode).
    var actsOnlyInTimedMode: Bool {
        switch self {
        case .backup, .fasterRepair, .addCrews: return true
        default: return false
        }
    }

    /// The action's key in the scenario file.
    var key: String {
        switch self {
        case .harden: return "harden"
        case .backup: return "backup"
        case .redundantDependency, .redundantLink: return "redundant_supply"
        case .protectZone: return "protect_zone"
        case .fasterRepair: return "faster_repair"
        case .addCrews: return "add_crews"
        }
    }
}

public extension Scenario {
    /// Why `option` cannot act in this scenario, or nil when it can: in a static scenario, an
    /// option whose every action acts only in timed mode. Names the timed twin when known.
    func timedOnlyReason(_ option: Mitigation) -> String? {
        guard simulation.mode == .static, !option.actions.isEmpty,
            option.actions.allSatisfy(\.actsOnlyInTimedMode)
        else { return nil }
        let keys = Array(Set(option.actions.map(\.key))).sorted().joined(separator: ", ")
        var s = "acts only in timed mode (\(keys)): a static run treats backups as exhausted and repairs nothing"
        if let twin = timedTwin { s += "; evaluated by the timed twin \(twin)" }
        return s
    }
}
