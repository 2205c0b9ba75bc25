/// Writes an OGC GeoPackage 1.3 (OGC 12-128r18) of feature layers in WGS 84 (EPSG:4326), one
/// row at a time, through SQLite: the required `gpkg_spatial_ref_sys`, `gpkg_contents` and
/// `gpkg_geometry_columns` tables, each layer as a feature table (`fid`, `geom`, the attribute
/// columns) with an R-tree spatial index (the `gpkg_rtree_index` extension, section F.3), and
/// geometries as GeoPackage binary (section 2.1.3: the "GP" header with the envelope, then ISO
/// WKB, little-endian).
///
/// The file holds no time, so the same rows give the same bytes (`gpkg_contents.last_change` is
/// the epoch). The index's triggers, which call the ST_ functions that GIS software registers,
/// are created after the rows; the index itself is packed once the layer's rows are in
/// (`RTreeBulkLoad`), as GDAL does when it builds an index after loading.
/// - Complexity: O(rows) for the rows, O(rows × log rows) to pack the index; memory one row plus
///   24 bytes per feature of the current layer (its index entries).
public final class GeoPackageWriter {
    /// A layer's geometry type, as `gpkg_geometry_columns` names it.
    public enum GeometryType: String, Sendable {
        case point = "POINT"
        case lineString = "LINESTRING"
        case polygon = "POLYGON"
    }
    /// An attribute column's SQLite type.
    public enum ColumnType: String, Sendable {
        case text = "TEXT"
        case real = "REAL"
        case integer = "INTEGER"
    }
    /// A geometry in longitude/latitude degrees; a polygon is one closed exterior ring; a
    /// segment is the two-point line string (x0, y0)–(x1, y1), without an array.
    public enum Geometry: Sendable {
        case point(Double, Double)
        case segment(Double, Double, Double, Double)
        case lineString([(Double, Double)])
        case polygon([(Double, Double)])
    }
    /// An attribute value; `.null` (and a NaN real) is SQL NULL.
    public enum Value: Sendable {
        case text(String)
        case real(Double)
        case integer(Int)
        case null
    }

    /// The value of `PRAGMA application_id` of a GeoPackage: "GPKG" (section 1.1.1.1.1).
    static let applicationID: Int32 = 0x4750_4B47
    /// `PRAGMA user_version` of version 1.3.0.
    static let userVersion = 10300
    /// EPSG:4326 (the WKT of the GeoPackage specification's own example row).
    static let wgs84 =
        #"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],"#
        + #"AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],"#
        + #"UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]"#

    private let file: SQLiteFile
    private var layer: Layer?
    private var blob: [UInt8] = []

    /// The layer being written: its statements and the extent of its geometries.
    private struct Layer {
        let name: String
        let columns: Int
        let insert: SQLiteFile.Statement
        /// The R-tree's entries, packed and written when the layer ends.
        var index = RTreeBulkLoad()
        var fid = 0
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
    }

    /// Creates the GeoPackage at `path` (replacing a file there) with its core tables.
    public init(path: String) throws {
        file = try SQLiteFile(creating: path)
        try file.execute(
            """
            PRAGMA application_id = \(Self.applicationID);
            PRAGMA user_version = \(Self.userVersion);
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -65536;
            PRAGMA locking_mode = EXCLUSIVE;
            BEGIN;
            CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
              organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
              description TEXT);
            INSERT INTO gpkg_spatial_ref_sys VALUES
              ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
              ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
              ('WGS 84 geodetic', 4326, 'EPSG', 4326, '\(Self.wgs84)',
               'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
            CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
              identifier TEXT UNIQUE, description TEXT DEFAULT '',
              last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
              min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
              CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
            CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
              geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
              CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
              CONSTRAINT uk_gc_table_name UNIQUE (table_name),
              CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
              CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
            CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
              definition TEXT NOT NULL, scope TEXT NOT NULL,
              CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
            """)
    }

    /// Starts the layer `name` (a feature table, its geometry column `geom` and its R-tree) with
    /// the attribute `columns`; ends the previous layer.
    public func beginLayer(_ name: String, description: String, geometry: GeometryType, columns: [(String, ColumnType)]) throws {
        try endLayer()
        let t = Self.quoted(name), rtree = Self.quoted("rtree_\(name)_geom")
        let defs = columns.map { "\(Self.quoted($0.0)) \($0.1.rawValue)" }.joined(separator: ", ")
        try file.execute(
            """
            CREATE TABLE \(t) (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom \(geometry.rawValue)\(defs.isEmpty ? "" : ", " + defs));
            INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id)
              VALUES (\(Self.literal(name)), 'features', \(Self.literal(name)), \(Self.literal(description)), '1970-01-01T00:00:00.000Z', 4326);
            INSERT INTO gpkg_geometry_columns VALUES (\(Self.literal(name)), 'geom', '\(geometry.rawValue)', 4326, 0, 0);
            CREATE VIRTUAL TABLE \(rtree) USING rtree(id, minx, maxx, miny, maxy);
            INSERT INTO gpkg_extensions VALUES (\(Self.literal(name)), 'geom', 'gpkg_rtree_index',
              'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
            """)
        let marks = Array(repeating: "?", count: columns.count + 2).joined(separator: ", ")
        layer = Layer(
            name: name, columns: columns.count,
            insert: try file.prepare("INSERT INTO \(t) VALUES (\(marks))"))
    }

    /// Appends a feature to the current layer: its geometry (nil: NULL) and one value per column.
    public func append(_ geometry: Geometry?, _ values: [Value]) throws {
        guard var l = layer else { preconditionFailure("GeoPackageWriter.append before beginLayer") }
        layer = nil // moved out and back, so that the index's arrays are not copied on write
        defer { layer = l }
        precondition(values.count == l.columns, "GeoPackageWriter.append: \(values.count) values for \(l.columns) columns")
        l.fid += 1
        l.insert.bind(1, integer: l.fid)
        var envelope: (Double, Double, Double, Double)?
        if let geometry {
            let e = Self.encode(geometry, into: &blob)
            envelope = e
            l.insert.bind(2, blob: blob)
        } else {
            l.insert.bindNull(2)
        }
        for (k, v) in values.enumerated() {
            let i = Int32(k + 3)
            switch v {
            case .text(let s): l.insert.bind(i, text: s)
            case .real(let x): l.insert.bind(i, real: x)
            case .integer(let n): l.insert.bind(i, integer: n)
            case .null: l.insert.bindNull(i)
            }
        }
        try l.insert.run()
        if let (x0, x1, y0, y1) = envelope {
            l.index.add(id: Int64(l.fid), x0, x1, y0, y1)
            l.minX = min(l.minX, x0)
            l.maxX = max(l.maxX, x1)
            l.minY = min(l.minY, y0)
            l.maxY = max(l.maxY, y1)
        }
    }

    /// Ends the current layer: its extent in `gpkg_contents` and the R-tree's triggers.
    public func endLayer() throws {
        guard let l = layer else { return }
        layer = nil
        try l.index.write(into: file, rtree: "rtree_\(l.name)_geom")
        let name = Self.literal(l.name)
        if l.minX <= l.maxX {
            try file.execute(
                "UPDATE gpkg_contents SET min_x = \(l.minX), min_y = \(l.minY), max_x = \(l.maxX), max_y = \(l.maxY) WHERE table_name = \(name);"
            )
        }
        try file.execute(Self.rtreeTriggers(table: l.name))
    }

    /// Ends the last layer and commits; the file is complete when this returns.
    public func finish() throws {
        try endLayer()
        try file.execute("COMMIT;")
        file.close()
    }

    /// Encodes `g` as GeoPackage binary into `b` and returns its envelope (min x, max x, min y, max y).
    static func encode(_ g: Geometry, into b: inout [UInt8]) -> (Double, Double, Double, Double) {
        b.removeAll(keepingCapacity: true)
        func u32(_ v: UInt32) {
            for k in 0..<4 { b.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
        }
        func f64(_ v: Double) {
            let bits = v.bitPattern
            for k in 0..<8 { b.append(UInt8(truncatingIfNeeded: bits >> (8 * k))) }
        }
        // header: magic "GP", version 0, flags (bit 0: little-endian; bits 1-3: the envelope
        // [minx, maxx, miny, maxy] = 1, or none for a point, whose envelope is itself), srs_id;
        // then ISO WKB, little-endian: 1 Point, 2 LineString, 3 Polygon (one ring)
        b.append(0x47); b.append(0x50); b.append(0)
        func envelope(_ e: (Double, Double, Double, Double)) {
            b.append(0b0000_0011)
            u32(4326)
            f64(e.0); f64(e.1); f64(e.2); f64(e.3)
            b.append(1)
        }
        switch g {
        case .point(let x, let y):
            b.append(0b0000_0001)
            u32(4326)
            b.append(1)
            u32(1)
            f64(x); f64(y)
            return (x, x, y, y)
        case .segment(let xa, let ya, let xb, let yb):
            let e = (min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb))
            envelope(e)
            u32(2); u32(2)
            f64(xa); f64(ya); f64(xb); f64(yb)
            return e
        case .lineString(let p), .polygon(let p):
            var e = (Double.infinity, -Double.infinity, Double.infinity, -Double.infinity)
            for (x, y) in p { e = (min(e.0, x), max(e.1, x), min(e.2, y), max(e.3, y)) }
            envelope(e)
            if case .polygon = g {
                u32(3); u32(1)
            } else {
                u32(2)
            }
            u32(UInt32(p.count))
            for (x, y) in p { f64(x); f64(y) }
            return e
        }
    }

    /// An SQL identifier in double quotes.
    static func quoted(_ name: String) -> String { "\"" + doubled(name, "\"") + "\"" }
    /// An SQL string literal.
    static func literal(_ text: String) -> String { "'" + doubled(text, "'") + "'" }
    /// `text` with every `quote` doubled (SQL's escape inside quotes).
    static func doubled(_ text: String, _ quote: Character) -> String {
        text.split(separator: quote, omittingEmptySubsequences: false).joined(separator: String(quote) + String(quote))
    }

    /// The six triggers of the `gpkg_rtree_index` extension (GeoPackage 1.3, section F.3) for
    /// `table`'s column `geom` and primary key `fid`.
    static func rtreeTriggers(table: String) -> String {
        let t = quoted(table), r = quoted("rtree_\(table)_geom")
        let name = { (suffix: String) in quoted("rtree_\(table)_geom_\(suffix)") }
        let values = "NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)"
        return """
            CREATE TRIGGER \(name("insert")) AFTER INSERT ON \(t)
              WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN INSERT OR REPLACE INTO \(r) VALUES (\(values)); END;
            CREATE TRIGGER \(name("update1")) AFTER UPDATE OF geom ON \(t)
              WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN INSERT OR REPLACE INTO \(r) VALUES (\(values)); END;
            CREATE TRIGGER \(name("update2")) AFTER UPDATE OF geom ON \(t)
              WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM \(r) WHERE id = OLD.fid; END;
            CREATE TRIGGER \(name("update3")) AFTER UPDATE ON \(t)
              WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM \(r) WHERE id = OLD.fid; INSERT OR REPLACE INTO \(r) VALUES (\(values)); END;
            CREATE TRIGGER \(name("update4")) AFTER UPDATE ON \(t)
              WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM \(r) WHERE id IN (OLD.fid, NEW.fid); END;
            CREATE TRIGGER \(name("delete")) AFTER DELETE ON \(t)
              WHEN old.geom NOT NULL
            BEGIN DELETE FROM \(r) WHERE id = OLD.fid; END;
            """
    }
}
