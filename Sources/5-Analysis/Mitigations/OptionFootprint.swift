import InfraModel

/// What an option touches, so that a paired run can tell from the baseline alone which samples
/// the option cannot change (docs/specification.md section 6).
///
/// An option is *involved* in sample i when its own draws of events and damage differ from the
/// baseline's (`changesDamage`: compared sample by sample, exactly), when the baseline's sample i
/// hit one of `hitElements` or an element of one of `owners`, or left one of `failAssets` not
/// working (timed mode: at any moment); `always` involves it in every sample. In a sample where
/// it is not involved, the option's sample is the baseline's, exactly:
/// - `harden` and `protect_zone` change only damage draws (keyed by ids, so equal draws give an
///   equal damage set, event by event);
/// - `backup` with hours ≥ the current ones (timed) only matters when the consumer's providers
///   stop sufficing long enough for the old backup to run out, i.e. when the consumer failed;
/// - `redundant_supply` with a row joining an existing requirement only matters when that
///   requirement failed the consumer; a link between two assets that stayed working (hence both
///   supplied, or both in the giant component) joins two nodes already connected, and the link's
///   own damage shows in the draws;
/// - `faster_repair` and `add_crews` (timed) only matter when one of their elements was damaged;
/// - in static mode backups, repairs and crews play no part (section 2: backups are exhausted),
///   so `backup`, `faster_repair` and `add_crews` are inert there.
/// A new requirement or fewer backup hours set `always`.
public struct OptionFootprint: Sendable, Equatable {
    /// The option's event and damage draws can differ from the baseline's.
    public var changesDamage = false
    /// Elements: assets, then links at `assets + l` (baseline indices).
    public var hitElements: [Int32] = []
    /// Owner codes whose hit elements involve the option.
    public var owners: [Int32] = []
    /// Assets whose failure in the baseline involves the option.
    public var failAssets: [Int32] = []
    /// Why the option is involved in every sample (nil: it is not).
    public var always: String?

    public init() {}

    /// Whether the option can change no sample at all.
    public var isInert: Bool {
        !changesDamage && always == nil && hitElements.isEmpty && owners.isEmpty && failAssets.isEmpty
    }

    /// The footprint of `option` on `base`; `applied` is `base` with the option applied.
    /// - Complexity: O(actions × (selected elements + rows + events)).
    public static func of(_ option: Mitigation, base: Scenario, applied: Scenario) -> OptionFootprint {
        var f = OptionFootprint()
        let net = base.network
        let nA = Int32(net.assets.count)
        let timed = base.simulation.mode == .timed
        func always(_ why: String) { if f.always == nil { f.always = why } }
        // attacks that pick by degree or criticality see added links and rows
        let attacks = base.events.contains {
            if case .attack = $0.kind { return true }; return false
        }
        for action in option.actions {
            switch action {
            case .harden, .protectZone:
                f.changesDamage = true
            case let .backup(_, match, group, hours):
                guard timed else { continue }
                let consumers = Set(match.assets)
                let d = net.dependencies
                for r in 0..<d.count where consumers.contains(d.consumer[r]) && net.groups[d.group[r]] == group {
                    if hours < d.backupHours[r] { always("it lowers backup hours") }
                    f.failAssets.append(d.consumer[r])
                }
            case let .redundantDependency(consumer, _, group, _):
                guard case .asset(let c)? = net.element(consumer) else { always("unknown consumer"); continue }
                let d = net.dependencies
                if let g = net.groups.code(group), (0..<d.count).contains(where: { d.consumer[$0] == c && d.group[$0] == g }) {
                    f.failAssets.append(c)
                } else {
                    always("it adds a new requirement")
                }
                if attacks { f.changesDamage = true }
            case let .redundantLink(id, _, from, to, _):
                if case .asset(let a)? = net.element(from) { f.failAssets.append(a) }
                if case .asset(let b)? = net.element(to) { f.failAssets.append(b) }
                if attacks { f.changesDamage = true }
                if case .link(let l)? = applied.network.element(id),
                    applied.events.contains(where: { ($0.reach?.links.contains(l) ?? false) || ($0.match?.links.contains(l) ?? false) })
                {
                    f.changesDamage = true
                }
            case let .fasterRepair(_, match, _):
                guard timed else { continue }
                f.hitElements += match.assets + match.links.map { nA + $0 }
            case let .addCrews(owner, _):
                guard timed, base.crews[owner] != nil, let o = net.owners.code(owner) else { continue }
                f.owners.append(o)
            }
        }
        f.hitElements = Array(Set(f.hitElements)).sorted()
        f.failAssets = Array(Set(f.failAssets)).sorted()
        f.owners = Array(Set(f.owners)).sorted()
        return f
    }
}
