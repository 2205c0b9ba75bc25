import Cascade

/// Per backed requirement (`TimedPlan.backedReq`): since when its providers stopped sufficing,
/// NaN while they suffice (docs/specification.md section 2: a backup of b hours holds the requirement until
/// then + b and refills completely once its providers suffice again).
/// - Complexity: O(backed requirements) per reset, per `collectForced` and per `update`.
struct BackupClocks {
    let requirement: [Int32], hours: [Double]
    let horizon: Double
    /// Per backed requirement: when its providers stopped sufficing (NaN: they suffice).
    var unmetSince: [Double]
    /// The requirements whose backup runs at the moment of the last `collectForced`.
    var forced: [Int32] = []

    init(plan t: TimedPlan) {
        requirement = t.backedReq; hours = t.backedHours; horizon = t.horizon
        unmetSince = [Double](repeating: .nan, count: t.backedReq.count)
    }

    /// Every backup full (a new sample).
    mutating func reset() {
        for b in 0..<unmetSince.count { unmetSince[b] = .nan }
    }

    /// Whether backup b holds its requirement at `now` (full, or still running).
    @inline(__always) func holds(_ b: Int, at now: Double) -> Bool {
        unmetSince[b].isNaN || now < unmetSince[b] + hours[b]
    }

    /// Lists in `forced` the requirements whose backup holds at `now`.
    mutating func collectForced(at now: Double) {
        forced.removeAll(keepingCapacity: true)
        for b in 0..<requirement.count where holds(b, at: now) { forced.append(requirement[b]) }
    }

    /// After a cascade at `now` (slack in `ws`): backups whose providers stopped sufficing start
    /// running down (their expiry goes to `queue`), those whose providers suffice again are full
    /// again. Returns true when a refilled backup was not forced: the state must be computed again
    /// (the greatest fixed point can only grow).
    mutating func update(at now: Double, workspace ws: CascadeWorkspace, queue: inout ChangeQueue) -> Bool {
        let bonus = StaticCascade.forcedBonus
        let slack = ws.requirementSlack
        var again = false
        for b in 0..<requirement.count {
            let r = Int(requirement[b])
            let wasForced = holds(b, at: now)
            let suffice = slack[r] - (wasForced ? bonus : 0) >= 0
            if !suffice && unmetSince[b].isNaN {
                unmetSince[b] = now
                let end = now + hours[b]
                if end < horizon { queue.push(end, .backupEnd, Int32(b)) }
            } else if suffice && !unmetSince[b].isNaN {
                unmetSince[b] = .nan
                if !wasForced { again = true }
            }
        }
        return again
    }
}
