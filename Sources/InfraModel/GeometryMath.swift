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

    /// The largest value of the areas containing `p`, or 0 outside all of them (DESIGN.md section 3).
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
}
