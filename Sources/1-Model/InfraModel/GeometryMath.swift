#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Planar and spherical geometry used by hazard footprints.
public enum GeometryMath {
    /// Mean Earth radius in km (IUGG).
    public static let earthRadiusKm = 6371.0088

    /// Great-circle distance in km between two (lon, lat) points in degrees (haversine formula).
    @inlinable
    public static func greatCircleKm(_ a: Point, _ b: Point) -> Double {
        let rad = Double.pi / 180
        let dlat = (b.y - a.y) * rad, dlon = (b.x - a.x) * rad
        let s = sin(dlat / 2), t = sin(dlon / 2)
        let h = s * s + cos(a.y * rad) * cos(b.y * rad) * t * t
        return 2 * earthRadiusKm * asin(min(1, h.squareRoot()))
    }

    /// Euclidean distance in km between two (x, y) points in metres.
    @inlinable
    public static func planarKm(_ a: Point, _ b: Point) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        return (dx * dx + dy * dy).squareRoot() / 1000
    }

    /// Whether `p` lies inside the closed ring (crossing-number rule; points on an edge may go either way).
    /// - Complexity: O(ring length).
    @inlinable
    public static func ringContains(_ ring: [Point], _ p: Point) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i], b = ring[j]
            if (a.y > p.y) != (b.y > p.y) {
                let xCross = (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x
                if p.x < xCross { inside.toggle() }
            }
            j = i
        }
        return inside
    }

    /// Whether `p` lies inside the polygon: inside its exterior and outside every hole.
    public static func polygonContains(_ poly: Polygon, _ p: Point) -> Bool {
        guard ringContains(poly.exterior, p) else { return false }
        for h in poly.holes where ringContains(h, p) { return false }
        return true
    }

    /// The largest value of the areas containing `p`, or 0 outside all of them (docs/specification.md section 3).
    public static func areaValue(_ areas: [IntensityArea], at p: Point) -> Double {
        var best = 0.0
        for a in areas where a.value > best {
            for poly in a.polygons where polygonContains(poly, p) {
                best = a.value
                break
            }
        }
        return best
    }

    /// The convex hull of `points` (Andrew's monotone chain, A. M. Andrew 1979): the hull's
    /// vertices counter-clockwise (for y up) from the lowest-x point, collinear points left out;
    /// fewer than three points are returned sorted. The one hull of the project (zone outlines
    /// on the report's map, in `results.geojson` and in CAP areas).
    /// - Complexity: O(n log n) time, O(n) extra space.
    public static func convexHull(_ points: [(Double, Double)]) -> [(Double, Double)] {
        let p = points.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        guard p.count >= 3 else { return p }
        func cross(_ o: (Double, Double), _ a: (Double, Double), _ b: (Double, Double)) -> Double {
            (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
        }
        var lower: [(Double, Double)] = [], upper: [(Double, Double)] = []
        for q in p {
            while lower.count >= 2 && cross(lower[lower.count - 2], lower[lower.count - 1], q) <= 0 { lower.removeLast() }
            lower.append(q)
        }
        for q in p.reversed() {
            while upper.count >= 2 && cross(upper[upper.count - 2], upper[upper.count - 1], q) <= 0 { upper.removeLast() }
            upper.append(q)
        }
        return Array(lower.dropLast() + upper.dropLast())
    }
}
