import InfraModel

/// The owners whose assets or links a mitigation option acts on (`mitigations.csv` `owners`),
/// so that each owner's brief can list the options that concern it.
enum OptionOwners {
    /// Owner names in byte order: the owners of the selected assets and links (`harden`,
    /// `backup`, `faster_repair`), of both ends of a `redundant_supply`, of the assets of a
    /// protected zone, and the owner given to `add_crews`.
    /// - Complexity: O(selected elements), O(assets) for `protect_zone`.
    static func of(_ option: Mitigation, in net: Network) -> [String] {
        var codes = Set<Int32>(), names = Set<String>()
        func asset(_ a: Int32) { let o = net.assets.common.owner[Int(a)]; if o >= 0 { codes.insert(o) } }
        func link(_ l: Int32) { let o = net.links.common.owner[Int(l)]; if o >= 0 { codes.insert(o) } }
        func id(_ s: String) {
            switch net.element(s) {
            case .asset(let a)?: asset(a)
            case .link(let l)?: link(l)
            case nil: break
            }
        }
        func match(_ m: SelectionMatch) { m.assets.forEach(asset); m.links.forEach(link) }
        for action in option.actions {
            switch action {
            case .harden(_, let m, _, _), .backup(_, let m, _, _), .fasterRepair(_, let m, _): match(m)
            case .redundantDependency(let consumer, let provider, _, _): id(consumer); id(provider)
            case .redundantLink(_, _, let from, let to, _): id(from); id(to)
            case .protectZone(let zone, _, _, _):
                if let z = net.zones.code(zone) {
                    for a in 0..<net.assets.count where net.assets.common.zone[a] == z { asset(Int32(a)) }
                }
            case .addCrews(let owner, _): names.insert(owner)
            }
        }
        for c in codes { names.insert(net.owners.names[Int(c)]) }
        return names.sorted(by: RB.byteLess)
    }
}
