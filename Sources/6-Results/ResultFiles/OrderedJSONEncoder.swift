/// Encodes an `Encodable` value as JSON text with Kaskada's one layout: keys in the order the
/// value encodes them (declaration order for synthesized conformances), numbers as `JSON.number`
/// writes them (shortest round-trip, integers without a fraction), strings as `JSON.string`.
///
/// Layout (that of every `summary.json` and `manifest.json` ever written): the top-level object
/// one member per line indented by two spaces; a member whose value is a non-empty object of
/// objects (`metrics`, the manifest's `files`) one inner member per line indented by four;
/// everything else inline, `{"a": 1, "b": [1, 2]}`. Ends with a line end.
///
/// An optional encoded with `encode(_:forKey:)` writes `null` when nil; `encodeIfPresent` (what
/// synthesized conformances use) leaves the key out. `RawJSONNumber` writes its digits as they are.
///
/// - Complexity: O(size of the output).
public enum OrderedJSONEncoder {
    /// The JSON text of `value`.
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let root = JSONNodeBox()
        try value.encode(to: JSONNodeEncoder(box: root))
        return render(root.node, depth: 0) + "\n"
    }

    /// The JSON text of `value` on one line without spaces, `{"a":1,"b":[1,2]}` (GeoJSON
    /// features, one per line), no line end.
    public static func compact<T: Encodable>(_ value: T) throws -> String {
        let root = JSONNodeBox()
        try value.encode(to: JSONNodeEncoder(box: root))
        return compactText(root.node)
    }

    static func compactText(_ node: JSONNode) -> String {
        switch node {
        case .scalar(let text): return text
        case .array(let items): return "[" + items.map { compactText($0.node) }.joined(separator: ",") + "]"
        case .object(let members): return "{" + members.map { JSON.string($0.0) + ":" + compactText($0.1.node) }.joined(separator: ",") + "}"
        }
    }

    static func render(_ node: JSONNode, depth: Int) -> String {
        switch node {
        case .scalar(let text):
            return text
        case .array(let items):
            return "[" + items.map { inline($0.node) }.joined(separator: ", ") + "]"
        case .object(let members):
            if depth == 0 {
                return "{\n" + members.map { "  " + JSON.string($0.0) + ": " + render($0.1.node, depth: 1) }.joined(separator: ",\n") + "\n}"
            }
            let allObjects = !members.isEmpty && members.allSatisfy { if case .object = $0.1.node { return true } else { return false } }
            if depth == 1 && allObjects {
                return "{\n" + members.map { "    " + JSON.string($0.0) + ": " + inline($0.1.node) }.joined(separator: ",\n") + "\n  }"
            }
            return inline(node)
        }
    }

    static func inline(_ node: JSONNode) -> String {
        switch node {
        case .scalar(let text): return text
        case .array(let items): return "[" + items.map { inline($0.node) }.joined(separator: ", ") + "]"
        case .object(let members): return "{" + members.map { JSON.string($0.0) + ": " + inline($0.1.node) }.joined(separator: ", ") + "}"
        }
    }
}

/// A number written as its given text (e.g. a seed beyond Int64, kept as the digits read).
public struct RawJSONNumber: Encodable, Sendable {
    public let text: String
    public init(_ text: String) { self.text = text }
    public func encode(to encoder: Encoder) throws {
        if let e = encoder as? JSONNodeEncoder { e.box.node = .scalar(text); return }
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

/// A JSON value being built: members and items in encoding order.
enum JSONNode {
    case scalar(String)
    case array([JSONNodeBox])
    case object([(String, JSONNodeBox)])
}

/// A node that containers fill in after it is placed in its parent.
final class JSONNodeBox {
    var node: JSONNode = .scalar("null")
}

/// The `Encoder` that builds `JSONNode`s.
final class JSONNodeEncoder: Encoder {
    let box: JSONNodeBox
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(box: JSONNodeBox) { self.box = box }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = box.node {} else { box.node = .object([]) }
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(box: box))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = box.node {} else { box.node = .array([]) }
        return UnkeyedNodeContainer(box: box)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleNodeContainer(box: box) }

    /// The node of a scalar, or nil for a value that encodes itself.
    static func scalar<T: Encodable>(_ value: T) -> String? {
        switch value {
        case let x as Double: return JSON.number(x)
        case let x as Float: return JSON.number(Double(x))
        case let x as String: return JSON.string(x)
        case let x as Bool: return x ? "true" : "false"
        case let x as Int: return String(x)
        case let x as Int64: return String(x)
        case let x as UInt64: return String(x)
        case let x as Int32: return String(x)
        case let x as RawJSONNumber: return x.text
        default: return nil
        }
    }

    /// A child box holding `value`.
    static func boxed<T: Encodable>(_ value: T) throws -> JSONNodeBox {
        let child = JSONNodeBox()
        if let s = scalar(value) { child.node = .scalar(s) } else { try value.encode(to: JSONNodeEncoder(box: child)) }
        return child
    }
}

struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: JSONNodeBox
    var codingPath: [any CodingKey] { [] }

    private func append(_ key: Key, _ child: JSONNodeBox) {
        guard case .object(var members) = box.node else { return }
        members.append((key.stringValue, child))
        box.node = .object(members)
    }

    private func put(_ key: Key, _ text: String) {
        let child = JSONNodeBox()
        child.node = .scalar(text)
        append(key, child)
    }

    mutating func encodeNil(forKey key: Key) throws { put(key, "null") }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(key, value ? "true" : "false") }
    mutating func encode(_ value: String, forKey key: Key) throws { put(key, JSON.string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(key, JSON.number(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(key, JSON.number(Double(value))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(key, String(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(key, String(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(key, String(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(key, String(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(key, String(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(key, String(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(key, String(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(key, String(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(key, String(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(key, String(value)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { append(key, try JSONNodeEncoder.boxed(value)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONNodeBox()
        child.node = .object([])
        append(key, child)
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(box: child))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = JSONNodeBox()
        child.node = .array([])
        append(key, child)
        return UnkeyedNodeContainer(box: child)
    }

    mutating func superEncoder() -> any Encoder { JSONNodeEncoder(box: box) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = JSONNodeBox()
        append(key, child)
        return JSONNodeEncoder(box: child)
    }
}

struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let box: JSONNodeBox
    var codingPath: [any CodingKey] { [] }
    var count: Int { if case .array(let items) = box.node { return items.count } else { return 0 } }

    private func append(_ child: JSONNodeBox) {
        guard case .array(var items) = box.node else { return }
        items.append(child)
        box.node = .array(items)
    }

    mutating func encodeNil() throws { let c = JSONNodeBox(); append(c) }
    mutating func encode<T: Encodable>(_ value: T) throws { append(try JSONNodeEncoder.boxed(value)) }
    mutating func encode(_ value: Bool) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: String) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: Double) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: Float) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: Int) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: Int8) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: Int16) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: Int32) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: Int64) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: UInt) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: UInt8) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: UInt16) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: UInt32) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: UInt64) throws { try encode(Scalar(value)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONNodeBox()
        child.node = .object([])
        append(child)
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(box: child))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = JSONNodeBox()
        child.node = .array([])
        append(child)
        return UnkeyedNodeContainer(box: child)
    }

    mutating func superEncoder() -> any Encoder {
        let child = JSONNodeBox()
        append(child)
        return JSONNodeEncoder(box: child)
    }
}

struct SingleNodeContainer: SingleValueEncodingContainer {
    let box: JSONNodeBox
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { box.node = .scalar("null") }
    mutating func encode<T: Encodable>(_ value: T) throws {
        if let s = JSONNodeEncoder.scalar(value) { box.node = .scalar(s) } else { try value.encode(to: JSONNodeEncoder(box: box)) }
    }
    mutating func encode(_ value: Bool) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: String) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: Double) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: Float) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: Int) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: Int8) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: Int16) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: Int32) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: Int64) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: UInt) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: UInt8) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: UInt16) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: UInt32) throws { try encode(Scalar(value)) }
    mutating func encode(_ value: UInt64) throws { try encode(Scalar(value)) }
}

/// A primitive passed on to the generic `encode`, which writes it as `JSONNodeEncoder.scalar` does.
private struct Scalar<V: Encodable>: Encodable {
    let value: V
    init(_ value: V) { self.value = value }
    func encode(to encoder: Encoder) throws {
        if let e = encoder as? JSONNodeEncoder, let s = JSONNodeEncoder.scalar(value) { e.box.node = .scalar(s) }
    }
}

/// An object whose members are given in order (names chosen at run time: sectors, metrics, files).
public struct JSONMembers<Value: Encodable>: Encodable {
    public var members: [(String, Value)]
    public init(_ members: [(String, Value)]) { self.members = members }

    public struct Key: CodingKey {
        public var stringValue: String
        public var intValue: Int? { nil }
        public init(stringValue: String) { self.stringValue = stringValue }
        public init?(intValue: Int) { nil }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (name, value) in members { try c.encode(value, forKey: Key(stringValue: name)) }
    }
}
