import CSQLite
import Foundation
import GeoPackage
import TestSupport
import Testing

/// `GeoPackageWriter` read back through SQLite itself: the GeoPackage 1.3 identification
/// (OGC 12-128r18 section 1.1.1.1.1: application_id "GPKG", user_version 10300), the core tables,
/// the GeoPackage binary geometry (section 2.1.3) decoded by hand, the R-tree entries and extents,
/// the packed R-tree checked by SQLite's `rtreecheck()`, and the same bytes for the same rows. GDAL's own reader checks the files of real runs in CI
/// (scripts/check-gpkg.py).
@Suite struct GeoPackageWriterTests {
    /// A database opened read-only for the checks.
    final class Reader {
        var db: OpaquePointer?
        init(_ path: String) throws {
            guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { throw CocoaError(.fileReadUnknown) }
        }
        deinit { sqlite3_close(db) }

        /// The rows of `sql`, each column as Int, Double, String, [UInt8] or nil.
        func rows(_ sql: String) -> [[Any?]] {
            var s: OpaquePointer?
            guard sqlite3_prepare_v2(db, sql, -1, &s, nil) == SQLITE_OK else {
                Issue.record("cannot prepare \(sql): \(String(cString: sqlite3_errmsg(db)))")
                return []
            }
            defer { sqlite3_finalize(s) }
            var out: [[Any?]] = []
            while sqlite3_step(s) == SQLITE_ROW {
                out.append(
                    (0..<sqlite3_column_count(s)).map { i -> Any? in
                        switch sqlite3_column_type(s, i) {
                        case SQLITE_INTEGER: Int(sqlite3_column_int64(s, i))
                        case SQLITE_FLOAT: sqlite3_column_double(s, i)
                        case SQLITE_TEXT: String(cString: sqlite3_column_text(s, i))
                        case SQLITE_BLOB:
                            Array(UnsafeRawBufferPointer(start: sqlite3_column_blob(s, i), count: Int(sqlite3_column_bytes(s, i))))
                        default: nil
                        }
                    })
            }
            return out
        }
    }

    static func double(_ b: [UInt8], at k: Int) -> Double {
        Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[k + $1]) << (8 * UInt64($1)) })
    }

    static func uint32(_ b: [UInt8], at k: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[k + $1]) << (8 * UInt32($1)) }
    }

    /// 500 random points, a line per consecutive pair, a square and a zone without geometry.
    static func write(_ path: String, points: [(Double, Double)]) throws {
        let w = try GeoPackageWriter(path: path)
        try w.beginLayer("assets", description: "points", geometry: .point, columns: [("id", .text), ("population", .real), ("rank", .integer)])
        for (k, p) in points.enumerated() {
            try w.append(.point(p.0, p.1), [.text("A\(k)"), k % 7 == 0 ? .real(.nan) : .real(Double(k) * 1.5), k % 5 == 0 ? .null : .integer(k)])
        }
        try w.beginLayer("links", description: "lines", geometry: .lineString, columns: [("id", .text)])
        for k in 1..<points.count { try w.append(.lineString([points[k - 1], points[k]]), [.text("L\(k)")]) }
        try w.beginLayer("zones", description: "it's \"quoted\"", geometry: .polygon, columns: [("zone", .text), ("warning \"x\"", .text)])
        try w.append(.polygon([(8, 48), (9, 48), (9, 49), (8, 49), (8, 48)]), [.text("Z'1"), .text("red")])
        try w.append(nil, [.text("Z2"), .null])
        try w.finish()
    }

    static func points(_ n: Int) -> [(Double, Double)] {
        var rng = SeededGenerator(seed: 20261207)
        return (0..<n).map { _ in (7.5 + rng.unit(), 48.0 + rng.unit()) }
    }

    @Test func readBackThroughSQLite() throws {
        let dir = try TemporaryFolder.make("gpkg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.gpkg").path
        let pts = Self.points(500)
        try Self.write(path, points: pts)
        // the identification, also in the file header (big-endian at offsets 68 and 60)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes[68..<72]) == Array("GPKG".utf8))
        #expect(bytes[60..<64].reduce(0) { $0 << 8 | Int($1) } == 10300)
        let r = try Reader(path)
        #expect(r.rows("PRAGMA application_id").first?.first as? Int == 0x4750_4B47)
        #expect(r.rows("SELECT srs_id, organization, organization_coordsys_id FROM gpkg_spatial_ref_sys ORDER BY srs_id").count == 3)
        #expect(r.rows("SELECT organization FROM gpkg_spatial_ref_sys WHERE srs_id = 4326").first?.first as? String == "EPSG")
        let contents = r.rows("SELECT table_name, data_type, srs_id, min_x, min_y, max_x, max_y FROM gpkg_contents ORDER BY table_name")
        #expect(contents.map { $0[0] as? String } == ["assets", "links", "zones"])
        #expect(contents.allSatisfy { $0[1] as? String == "features" && $0[2] as? Int == 4326 })
        // the layer's extent is the points' own
        let a = contents[0]
        #expect(a[3] as? Double == pts.map(\.0).min() && a[5] as? Double == pts.map(\.0).max())
        #expect(a[4] as? Double == pts.map(\.1).min() && a[6] as? Double == pts.map(\.1).max())
        #expect(
            r.rows("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns ORDER BY table_name").map { $0.compactMap { $0 as? String } }
                == [["assets", "POINT"], ["links", "LINESTRING"], ["zones", "POLYGON"]])
        #expect(r.rows("SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'").first?.first as? Int == 3)
        #expect(r.rows("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").first?.first as? Int == 18)
        // every point: its attributes, its geometry decoded, its R-tree box around it
        let rows = r.rows("SELECT fid, geom, id, population, rank FROM assets ORDER BY fid")
        #expect(rows.count == pts.count)
        let boxes = Dictionary(
            uniqueKeysWithValues: r.rows("SELECT id, minx, maxx, miny, maxy FROM rtree_assets_geom").map {
                ($0[0] as? Int ?? -1, ($0[1] as? Double ?? .nan, $0[2] as? Double ?? .nan, $0[3] as? Double ?? .nan, $0[4] as? Double ?? .nan))
            })
        #expect(boxes.count == pts.count)
        var wrong = 0
        for (k, row) in rows.enumerated() {
            let g = row[1] as? [UInt8] ?? []
            let (x, y) = pts[k]
            // "GP", version 0, flags 1 (little-endian, no envelope), srs 4326, WKB point (1, type 1, x, y)
            let ok =
                row[0] as? Int == k + 1 && g.count == 8 + 21 && Array(g[0..<4]) == [0x47, 0x50, 0, 1] && Self.uint32(g, at: 4) == 4326
                && g[8] == 1 && Self.uint32(g, at: 9) == 1 && Self.double(g, at: 13) == x && Self.double(g, at: 21) == y
                && row[2] as? String == "A\(k)" && (k % 7 == 0 ? row[3] == nil : row[3] as? Double == Double(k) * 1.5)
                && (k % 5 == 0 ? row[4] == nil : row[4] as? Int == k)
            let b = boxes[k + 1] ?? (.nan, .nan, .nan, .nan)
            // R-tree boxes are 32-bit floats rounded outwards
            let inBox = b.0 <= x && x <= b.1 && b.2 <= y && y <= b.3 && b.1 - b.0 < 1e-5 && b.3 - b.2 < 1e-5
            if !ok || !inBox { wrong += 1 }
        }
        #expect(wrong == 0)
        // lines carry their envelope (flags 3); the polygon's ring; the zone without geometry is NULL and not indexed
        let line = r.rows("SELECT geom FROM links WHERE fid = 1").first?.first as? [UInt8] ?? []
        #expect(line.count == 8 + 32 + 9 + 32 && line[3] == 3 && Self.uint32(line, at: 41) == 2 && Self.uint32(line, at: 45) == 2)
        #expect(Self.double(line, at: 8) == min(pts[0].0, pts[1].0) && Self.double(line, at: 16) == max(pts[0].0, pts[1].0))
        let zones = r.rows("SELECT zone, \"warning \"\"x\"\"\", geom IS NULL FROM zones ORDER BY fid")
        #expect(zones.map { $0[0] as? String } == ["Z'1", "Z2"] && zones.map { $0[2] as? Int } == [0, 1])
        let square = r.rows("SELECT geom FROM zones WHERE fid = 1").first?.first as? [UInt8] ?? []
        #expect(Self.uint32(square, at: 41) == 3 && Self.uint32(square, at: 45) == 1 && Self.uint32(square, at: 49) == 5)
        #expect(r.rows("SELECT count(*) FROM rtree_zones_geom").first?.first as? Int == 1)
        #expect(r.rows("SELECT description FROM gpkg_contents WHERE table_name = 'zones'").first?.first as? String == "it's \"quoted\"")
    }

    /// The packed R-tree (`RTreeBulkLoad`, three levels for 40,000 points) passes SQLite's own
    /// `rtreecheck()` (node counts, boxes within their parents, the rowid and parent tables), answers
    /// window queries as a scan of the points does (float32 boxes may add a point on an edge), and takes an insert through the R-tree
    /// module afterwards (the module reads the tree as its own).
    @Test func packedIndexIsOneSQLiteReadsAndExtends() throws {
        let dir = try TemporaryFolder.make("gpkg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.gpkg").path
        let pts = Self.points(40_000)
        try Self.write(path, points: pts)
        let r = try Reader(path)
        for t in ["assets", "links", "zones"] {
            #expect(r.rows("SELECT rtreecheck('rtree_\(t)_geom')").first?.first as? String == "ok", "\(t)")
        }
        // depth 2: a root above a level of nodes above the leaves (167 cells per 4 KiB node)
        let root = r.rows("SELECT data FROM rtree_assets_geom_node WHERE nodeno = 1").first?.first as? [UInt8] ?? []
        #expect(root.count > 4 && Int(root[0]) << 8 | Int(root[1]) == 2)
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<20 {
            let x0 = 7.5 + rng.unit() * 0.9, y0 = 48.0 + rng.unit() * 0.9, w = rng.unit() * 0.1
            let found = r.rows(
                "SELECT id FROM rtree_assets_geom WHERE maxx >= \(x0) AND minx <= \(x0 + w) AND maxy >= \(y0) AND miny <= \(y0 + w) ORDER BY id"
            ).compactMap { $0[0] as? Int }
            let scan = pts.indices.filter { pts[$0].0 >= x0 && pts[$0].0 <= x0 + w && pts[$0].1 >= y0 && pts[$0].1 <= y0 + w }.map { $0 + 1 }
            // float32 boxes rounded outwards may add a point on the window's edge, never lose one
            #expect(Set(scan).isSubset(of: Set(found)) && found.count - scan.count <= 2, "window \(x0) \(y0) \(w)")
        }
        var db: OpaquePointer?
        #expect(sqlite3_open(path, &db) == SQLITE_OK)
        defer { sqlite3_close(db) }
        let sql = "INSERT INTO rtree_assets_geom VALUES (40001, 7.9, 7.9, 48.2, 48.2); SELECT rtreecheck('rtree_assets_geom');"
        #expect(sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK)
        let after = try Reader(path)
        #expect(after.rows("SELECT rtreecheck('rtree_assets_geom')").first?.first as? String == "ok")
        let hit = after.rows("SELECT count(*) FROM rtree_assets_geom WHERE minx <= 7.9 AND maxx >= 7.9 AND miny <= 48.2 AND maxy >= 48.2")
        #expect(hit.first?.first as? Int ?? 0 >= 1)
    }

    @Test func sameRowsGiveTheSameBytes() throws {
        let dir = try TemporaryFolder.make("gpkg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.gpkg").path, b = dir.appendingPathComponent("b.gpkg").path
        try Self.write(a, points: Self.points(2000))
        try Self.write(b, points: Self.points(2000))
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
    }

    @Test func anUnwritablePathIsAnError() {
        #expect(throws: SQLiteError.self) { try GeoPackageWriter(path: "/nonexistent-folder/x.gpkg") }
    }
}
