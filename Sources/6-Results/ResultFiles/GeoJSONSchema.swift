/// RFC 7946 GeoJSON values for the result's map files (`results.geojson`, `footprints.geojson`):
/// geometries with [longitude, latitude] positions and features whose properties are ordered
/// members, written as compact JSON text (strings as `JSON.string`, numbers as `JSON.number`),
/// one feature per line.
public enum GeoJSON {
    /// A position: [x, y].
    public typealias Position = [Double]

    /// A geometry object (RFC 7946 section 3.1).
    public enum Geometry: Sendable {
        case point(Position)
        case lineString([Position])
        /// Rings: the exterior first, closed.
        case polygon([[Position]])
        case multiPolygon([[[Position]]])

        /// Appends the compact JSON text: `{"type":"Point","coordinates":[x,y]}`.
        func write(to o: inout [UInt8]) {
            func position(_ p: Position) {
                o.append(UInt8(ascii: "["))
                for (k, x) in p.enumerated() {
                    if k > 0 { o.append(UInt8(ascii: ",")) }
                    JSON.appendNumber(x, to: &o)
                }
                o.append(UInt8(ascii: "]"))
            }
            func list<T>(_ items: [T], _ body: (T) -> Void) {
                o.append(UInt8(ascii: "["))
                for (k, x) in items.enumerated() {
                    if k > 0 { o.append(UInt8(ascii: ",")) }
                    body(x)
                }
                o.append(UInt8(ascii: "]"))
            }
            let type =
                switch self {
                case .point: "Point"
                case .lineString: "LineString"
                case .polygon: "Polygon"
                case .multiPolygon: "MultiPolygon"
                }
            o.append(contentsOf: #"{"type":""#.utf8)
            o.append(contentsOf: type.utf8)
            o.append(contentsOf: #"","coordinates":"#.utf8)
            switch self {
            case .point(let p): position(p)
            case .lineString(let l): list(l, position)
            case .polygon(let r): list(r) { list($0, position) }
            case .multiPolygon(let m): list(m) { list($0) { list($0, position) } }
            }
            o.append(UInt8(ascii: "}"))
        }
    }

    /// A property value: text, a number, an integer, or null.
    public enum Value: Sendable {
        case text(String)
        case number(Double)
        case integer(Int)
        case null

        /// A number, or null when absent.
        public static func number(_ x: Double?) -> Value { x.map { .number($0) } ?? .null }

        /// Appends the JSON text (`JSON.string`, `JSON.number`, digits, `null`).
        func write(to o: inout [UInt8]) {
            switch self {
            case .text(let s): JSON.appendString(s, to: &o)
            case .number(let x): JSON.appendNumber(x, to: &o)
            case .integer(let i): o.append(contentsOf: String(i).utf8)
            case .null: o.append(contentsOf: "null".utf8)
            }
        }
    }

    /// A feature: `type`, then `geometry` (null when absent) and `properties` in the order
    /// `propertiesFirst` says.
    public struct Feature: Sendable {
        public var geometry: Geometry?
        public var properties: [(String, Value)]
        /// `properties` before `geometry` (the layout of `footprints.geojson`).
        public var propertiesFirst = false

        public init(geometry: Geometry?, properties: [(String, Value)], propertiesFirst: Bool = false) {
            self.geometry = geometry
            self.properties = properties
            self.propertiesFirst = propertiesFirst
        }

        /// Appends the compact JSON text on one line without spaces,
        /// `{"type":"Feature","geometry":…,"properties":{"a":1}}`, no line end.
        public func write(to o: inout [UInt8]) {
            o.append(contentsOf: #"{"type":"Feature","#.utf8)
            if propertiesFirst {
                writeProperties(&o)
                o.append(UInt8(ascii: ","))
            }
            o.append(contentsOf: #""geometry":"#.utf8)
            if let geometry { geometry.write(to: &o) } else { o.append(contentsOf: "null".utf8) }
            if !propertiesFirst {
                o.append(UInt8(ascii: ","))
                writeProperties(&o)
            }
            o.append(UInt8(ascii: "}"))
        }

        func writeProperties(_ o: inout [UInt8]) {
            o.append(contentsOf: #""properties":{"#.utf8)
            for (k, (name, value)) in properties.enumerated() {
                if k > 0 { o.append(UInt8(ascii: ",")) }
                JSON.appendString(name, to: &o)
                o.append(UInt8(ascii: ":"))
                value.write(to: &o)
            }
            o.append(UInt8(ascii: "}"))
        }
    }

    /// The text of a FeatureCollection of `features`: a header line, one feature per line.
    public static func featureCollection(_ features: [Feature]) -> String {
        var w = CollectionText()
        for f in features { w.append(f) }
        return w.finish()
    }

    static let collectionHead = "{\"type\":\"FeatureCollection\",\"features\":[\n"
    static let collectionTail = "\n]}\n"

    /// A FeatureCollection's text built one feature at a time, so that no array of features is
    /// held: memory is the text itself, O(features) time.
    public struct CollectionText {
        private var bytes = Array(collectionHead.utf8)
        private var first = true

        public init() {}

        /// Appends `feature` on a line of its own.
        public mutating func append(_ feature: Feature) {
            if !first { bytes.append(contentsOf: ",\n".utf8) }
            first = false
            feature.write(to: &bytes)
        }

        /// The finished text.
        public func finish() -> String { String(decoding: bytes + Array(collectionTail.utf8), as: UTF8.self) }
    }

    /// A FeatureCollection streamed to a `DigestingWriter` one feature at a time: memory is one
    /// feature's text, whatever the number of features; the bytes of `CollectionText`.
    public struct CollectionStream {
        let out: DigestingWriter
        private var line: [UInt8] = []
        private var first = true

        /// Writes the header to `out`.
        public init(_ out: DigestingWriter) throws {
            self.out = out
            try out.write(GeoJSON.collectionHead)
        }

        /// Writes `feature` on a line of its own.
        public mutating func append(_ feature: Feature) throws {
            line.removeAll(keepingCapacity: true)
            if !first { line.append(contentsOf: ",\n".utf8) }
            first = false
            feature.write(to: &line)
            try out.write(bytes: line)
        }

        /// Writes the end of the collection (the caller finishes `out`).
        public func finish() throws { try out.write(GeoJSON.collectionTail) }
    }
}
