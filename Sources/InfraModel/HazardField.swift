#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Deterministic hazard intensities before uncertainty factors (DESIGN.md section 3).
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
    public static func reached(by event: Event, network net: Network) -> (assets: [(Int32, Double)], links: [(Int32, Double)]) {
        guard case .hazard(_, let source, _) = event.kind else { return ([], []) }
        var assets: [(Int32, Double)] = [], links: [(Int32, Double)] = []
        if case .table(_, let values) = source {
            var aSel: Set<Int32>? = nil, lSel: Set<Int32>? = nil
            if let m = event.match { aSel = Set(m.assets); lSel = Set(m.links) }
            for (el, v) in values where v > 0 {
                switch el {
                case .asset(let a) where aSel?.contains(a) ?? true: assets.append((a, v))
                case .link(let l) where lSel?.contains(l) ?? true: links.append((l, v))
                default: break
                }
            }
            assets.sort { $0.0 < $1.0 }
            links.sort { $0.0 < $1.0 }
            return (assets, links)
        }
        let cs = net.coordinates
        if let m = event.match {
            for a in m.assets {
                let v = intensity(source, at: assetPoint(net, a), coordinates: cs)
                if v > 0 { assets.append((a, v)) }
            }
            for l in m.links {
                let v = intensity(source, at: linkPoint(net, l), coordinates: cs)
                if v > 0 { links.append((l, v)) }
            }
        } else {
            for a in 0..<Int32(net.assets.count) {
                let v = intensity(source, at: assetPoint(net, a), coordinates: cs)
                if v > 0 { assets.append((a, v)) }
            }
            for l in 0..<Int32(net.links.count) {
                let v = intensity(source, at: linkPoint(net, l), coordinates: cs)
                if v > 0 { links.append((l, v)) }
            }
        }
        return (assets, links)
    }
}
