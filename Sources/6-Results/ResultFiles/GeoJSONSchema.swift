/// RFC 7946 GeoJSON as `Encodable` values, for the result's map files (`results.geojson`,
/// `footprints.geojson`): geometries with [longitude, latitude] positions and features whose
/// properties are ordered members. Written with `OrderedJSONEncoder.compact`, one feature per line.
public enum GeoJSON {
    /// A position: [x, y].
    public typealias Position = [Double]

    /// A geometry object (RFC 7946 section 3.1).
    public enum Geometry: Encodable, Sendable {
        case point(Position)
        case lineString([Position])
        /// Rings: the exterior first, closed.
        case polygon([[Position]])
        case multiPolygon([[[Position]]])

        enum CodingKeys: String, CodingKey { case type, coordinates }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .point(let p): try c.encode("Point", forKey: .type); try c.encode(p, forKey: .coordinates)
            case .lineString(let l): try c.encode("LineString", forKey: .type); try c.encode(l, forKey: .coordinates)
            case .polygon(let r): try c.encode("Polygon", forKey: .type); try c.encode(r, forKey: .coordinates)
            case .multiPolygon(let m): try c.encode("MultiPolygon", forKey: .type); try c.encode(m, forKey: .coordinates)
            }
        }
    }

    /// A property value: text, a number, an integer, or null.
    public enum Value: Encodable, Sendable {
        case text(String)
        case number(Double)
        case integer(Int)
        case null

        /// A number, or null when absent.
        public static func number(_ x: Double?) -> Value { x.map { .number($0) } ?? .null }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .text(let s): try c.encode(s)
            case .number(let x): try c.encode(x)
            case .integer(let i): try c.encode(i)
            case .null: try c.encodeNil()
            }
        }
    }

    /// A feature: `type`, then `geometry` (null when absent) and `properties` in the order
    /// `propertiesFirst` says.
    public struct Feature: Encodable, Sendable {
        public var geometry: Geometry?
        public var properties: [(String, Value)]
        /// `properties` before `geometry` (the layout of `footprints.geojson`).
        public var propertiesFirst = false

        public init(geometry: Geometry?, properties: [(String, Value)], propertiesFirst: Bool = false) {
            self.geometry = geometry
            self.properties = properties
            self.propertiesFirst = propertiesFirst
        }

        enum CodingKeys: String, CodingKey { case type, geometry, properties }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode("Feature", forKey: .type)
            let members = JSONMembers(properties)
            if propertiesFirst { try c.encode(members, forKey: .properties) }
            try c.encode(geometry, forKey: .geometry)
            if !propertiesFirst { try c.encode(members, forKey: .properties) }
        }
    }

    /// The text of a FeatureCollection of `features`: a header line, one feature per line.
    public static func featureCollection(_ features: [Feature]) throws -> String {
        var w = CollectionText()
        for f in features { try w.append(f) }
        return w.finish()
    }

    /// A FeatureCollection's text built one feature at a time, so that no array of features is
    /// held: memory is the text itself, O(features) time.
    public struct CollectionText {
        private var text = "{\"type\":\"FeatureCollection\",\"features\":[\n"
        private var first = true

        public init() {}

        /// Appends `feature` on a line of its own.
        public mutating func append(_ feature: Feature) throws {
            if !first { text += ",\n" }
            first = false
            text += try OrderedJSONEncoder.compact(feature)
        }

        /// The finished text.
        public func finish() -> String { text + "\n]}\n" }
    }
}
