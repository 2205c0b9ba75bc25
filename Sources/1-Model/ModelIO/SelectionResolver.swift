import InfraModel

/// Resolves a `select` map against a network (docs/specification.md section 3): AND across keys, OR within one.
struct SelectionResolver {
    let network: Network

    struct Unknown { var key: String; var message: String }

    /// The matched elements, and the names in the selection that the model does not have.
    /// - Complexity: O(assets + links) per call.
    func resolve(_ s: Selection) -> (SelectionMatch, [Unknown]) {
        let net = network
        var unknown: [Unknown] = []
        func codes(_ names: [String], _ pool: NamePool, _ key: String, _ what: String) -> Set<Int32>? {
            if names.isEmpty { return nil }
            var out = Set<Int32>()
            for n in names {
                if let c = pool.code(n) {
                    out.insert(c)
                } else {
                    let known = pool.names.count <= 12 ? pool.names.joined(separator: ", ") : pool.names.prefix(12).joined(separator: ", ") + ", …"
                    unknown.append(Unknown(key: key, message: "unknown \(what) '\(n)': the model has \(known.isEmpty ? "none" : known)"))
                }
            }
            return out
        }
        let sectors = codes(s.sector, net.sectors, "sector", "sector")
        let kinds = codes(s.kind, net.kinds, "kind", "kind")
        let owners = codes(s.owner, net.owners, "owner", "owner")
        let zones = codes(s.zone, net.zones, "zone", "zone")
        var idAssets: Set<Int32>? = nil, idLinks: Set<Int32>? = nil
        if !s.ids.isEmpty {
            idAssets = []; idLinks = []
            for id in s.ids {
                switch net.element(id) {
                case .asset(let a)?: idAssets!.insert(a)
                case .link(let l)?: idLinks!.insert(l)
                case nil: unknown.append(Unknown(key: "ids", message: "unknown id '\(id)': expected an asset or link id of the model"))
                }
            }
        }
        if !unknown.isEmpty { return (SelectionMatch(), unknown) }
        func matches(_ c: ElementColumns, _ i: Int) -> Bool {
            if let sectors, !sectors.contains(c.sector[i]) { return false }
            if let kinds, !kinds.contains(c.kind[i]) { return false }
            if let owners, !owners.contains(c.owner[i]) { return false }
            if let zones, !zones.contains(c.zone[i]) { return false }
            return true
        }
        var match = SelectionMatch()
        if let idAssets {
            match.assets = idAssets.sorted().filter { matches(net.assets.common, Int($0)) }
        } else {
            for a in 0..<net.assets.count where matches(net.assets.common, a) { match.assets.append(Int32(a)) }
        }
        if let idLinks, !idLinks.isEmpty, !s.links {
            // a listed link id selects that link
            match.links = idLinks.sorted().filter { matches(net.links.common, Int($0)) }
        } else if s.links {
            if let idLinks {
                match.links = idLinks.sorted().filter { matches(net.links.common, Int($0)) }
            } else {
                for l in 0..<net.links.count where matches(net.links.common, l) { match.links.append(Int32(l)) }
            }
        }
        return (match, [])
    }
}
