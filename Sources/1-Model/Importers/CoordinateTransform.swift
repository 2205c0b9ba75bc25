import CPROJ

/// Conversion of projected coordinates to WGS84 longitude/latitude with PROJ (Debian
/// `libproj-dev`): datum shifts included, with a grid where PROJ has one installed (EPSG:31467
/// Gauss–Krüger/DHDN: `BETA2007.gsb`; a plain Helmert or no shift moves points by up to ~126 m).
///
/// One PROJ context and transformation per instance; not shared between threads.
public final class CoordinateTransform {
    private let ctx: OpaquePointer
    private let pj: OpaquePointer
    /// The source system as given (`EPSG:31467`).
    public let source: String

    /// A transformation from `source` (e.g. `EPSG:31467`) to WGS84 lon/lat in degrees; nil with
    /// PROJ's reason when `source` is not a system PROJ knows.
    public init(from source: String) throws(CRSError) {
        guard let c = proj_context_create() else { throw CRSError(message: "PROJ could not start") }
        proj_log_level(c, PJ_LOG_NONE)
        guard let raw = proj_create_crs_to_crs(c, source, "EPSG:4326", nil) else {
            let msg = String(cString: proj_context_errno_string(c, proj_context_errno(c)))
            proj_context_destroy(c)
            throw CRSError(message: "'\(source)' is not a coordinate system PROJ knows (\(msg)); expected e.g. EPSG:31467")
        }
        // axis order: x = longitude (east), y = latitude (north), whatever the EPSG order is
        guard let norm = proj_normalize_for_visualization(c, raw) else {
            proj_destroy(raw)
            proj_context_destroy(c)
            throw CRSError(message: "PROJ could not normalise the axis order of \(source)")
        }
        proj_destroy(raw)
        ctx = c
        pj = norm
        self.source = source
    }

    deinit {
        proj_destroy(pj)
        proj_context_destroy(ctx)
    }

    /// (lat, lon) in degrees of the point (x, y) of the source system; nil when PROJ cannot convert it.
    public func latLon(x: Double, y: Double) -> (Double, Double)? {
        let out = proj_trans(pj, PJ_FWD, proj_coord(x, y, 0, 0))
        let lon = out.xy.x, lat = out.xy.y
        guard lon.isFinite, lat.isFinite, abs(lat) <= 90, abs(lon) <= 180 else { return nil }
        return (lat, lon)
    }
}

/// A coordinate system PROJ does not know or cannot convert.
public struct CRSError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
