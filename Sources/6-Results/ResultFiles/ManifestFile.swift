/// What `manifest.json` records besides the files' digests: which inputs, seed and sample count
/// made the result, and with which version of Kaskada.
public struct ManifestInfo: Sendable {
    public var kaskadaVersion: String
    public var scenario: String
    /// SHA-256 over the input files, seed, sample count and Kaskada's version.
    public var inputsDigest: String
    /// Each input on its own (`InputDigest.inputs`), so that a later run can say which changed.
    public var inputs: [Input]
    public var samples: Int
    /// The seed's digits.
    public var seed: String

    /// One input: its label and digest.
    public struct Input: Sendable {
        public var label: String
        public var value: String
    }

    public init(kaskadaVersion: String, scenario: String, inputsDigest: String, inputs: [(String, String)], samples: Int, seed: String) {
        self.kaskadaVersion = kaskadaVersion
        self.scenario = scenario
        self.inputsDigest = inputsDigest
        self.inputs = inputs.map { Input(label: $0.0, value: $0.1) }
        self.samples = samples
        self.seed = seed
    }
}

/// The schema of `manifest.json` (docs/outputs.md), keys in file order; written by
/// `OrderedJSONEncoder`. Files are listed by name, one per line.
public struct ManifestFile: Encodable {
    /// The version of the result folder's schema (`schema_version` of `summary.json` and `manifest.json`).
    public static let schemaVersion = 1

    var schemaVersion: Int
    var kaskadaVersion: String
    var scenario: String
    var inputsSHA256: String
    /// Absent when no input is recorded on its own.
    var inputs: JSONMembers<String>?
    var samples: Int
    var seed: RawJSONNumber
    var files: JSONMembers<FileDigest>

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case kaskadaVersion = "kaskada_version"
        case scenario
        case inputsSHA256 = "inputs_sha256"
        case inputs, samples, seed, files
    }

    /// A file's entry.
    struct FileDigest: Encodable {
        var sha256: String
    }

    /// The manifest of `info` with `files` (name, SHA-256 hex) sorted by name.
    public init(_ info: ManifestInfo, files: [(String, String)]) {
        schemaVersion = Self.schemaVersion
        kaskadaVersion = info.kaskadaVersion
        scenario = info.scenario
        inputsSHA256 = info.inputsDigest
        inputs = info.inputs.isEmpty ? nil : JSONMembers(info.inputs.map { ($0.label, $0.value) })
        samples = info.samples
        seed = RawJSONNumber(info.seed)
        self.files = JSONMembers(files.sorted { $0.0 < $1.0 }.map { ($0.0, FileDigest(sha256: $0.1)) })
    }
}
