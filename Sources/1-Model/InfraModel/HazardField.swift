#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Deterministic hazard intensities before uncertainty factors (docs/specification.md section 3).
///
/// Pure functions of the event and the network: the Monte Carlo stage multiplies these by
/// lognormal factors; validation uses them to find which elements a hazard reaches.
public enum HazardField {
    /// The point of asset `a` (NaN when it has no coordinates).
    @inlinable
    public static func assetPoint(_ net: Network, _ a: Int32) -> Point {
        Point(x: net.assets.common.x[Int(a)], y: net.assets.common.y[Int(a)])
    }

    /// The point of link `l`: its own midpoint column, else the midpoint of its two ends.
    public static func linkPoint(_ net: Network, _ l: Int32) -> Point {
        let x = net.links.common.x[Int(l)]
        if !x.isNaN { return Point(x: x, y: net.links.common.y[Int(l)]) }
        let a = assetPoint(net, net.links.from[Int(l)]), b = assetPoint(net, net.links.to[Int(l)])
        return Point(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2)
    }

    /// The base intensity of a point-based source at `p` (0 for NaN points).
    public static func intensity(_ source: IntensitySource, at p: Point, coordinates: CoordinateSystem) -> Double {
        switch source {
        case .value(let v): return v
        case .table: return 0
        case .polygons(_, _, let areas):
            return p.x.isNaN ? 0 : GeometryMath.areaValue(areas, at: p)
        case .footprint(let c, let peak, let decay, let radius):
            if p.x.isNaN { return 0 }
            let d = coordinates == .projected ? GeometryMath.planarKm(c, p) : GeometryMath.greatCircleKm(c, p)
            if let r = radius { return d <= r ? peak : 0 }
            return peak * exp(-d / decay!)
        }
    }

    /// The elements an event acts on and their base intensities (> 0 only), in index order.
    ///
    /// Without `select`: a table acts on its listed elements, polygons and footprints on every
    /// element with coordinates, a value on every asset and link.
    /// - Complexity: O((assets + links) × cost of one intensity).
    public static func reached(by event: Event, network net: Network) -> Reach {
        var r = Reach()
        guard case .hazard(_, let source, _) = event.kind else { return r }
        func addAsset(_ a: Int32, _ v: Double) { if v > 0 { r.assets.append(a); r.assetIntensity.append(v) } }
        func addLink(_ l: Int32, _ v: Double) { if v > 0 { r.links.append(l); r.linkIntensity.append(v) } }
        if case .table(_, let values) = source {
            var aSel: Set<Int32>? = nil, lSel: Set<Int32>? = nil
            if let m = event.match { aSel = Set(m.assets); lSel = Set(m.links) }
            var assets: [(Int32, Double)] = [], links: [(Int32, Double)] = []
            for (el, v) in values {
                switch el {
                case .asset(let a) where aSel?.contains(a) ?? true: assets.append((a, v))
                case .link(let l) where lSel?.contains(l) ?? true: links.append((l, v))
                default: break
                }
            }
            for (a, v) in assets.sorted(by: { $0.0 < $1.0 }) { addAsset(a, v) }
            for (l, v) in links.sorted(by: { $0.0 < $1.0 }) { addLink(l, v) }
            return r
        }
        let cs = net.coordinates
        let assets = event.match?.assets ?? Array(0..<Int32(net.assets.count))
        let links = event.match?.links ?? Array(0..<Int32(net.links.count))
        for a in assets { addAsset(a, intensity(source, at: assetPoint(net, a), coordinates: cs)) }
        for l in links { addLink(l, intensity(source, at: linkPoint(net, l), coordinates: cs)) }
        return r
    }
}
