/// What an importer makes of one file: the assets and links of one sector's network, what was
/// left out and why, and how the file's coordinates were read (docs/specification.md section 11).
///
/// Importers fill this in file order; `ModelFolderWriter` turns it into a model folder. Ids are
/// made by `ImportIds` so that every importer escapes and de-duplicates them the same way.
public struct ImportedModel: Sendable {
    /// The model's name (`network.yaml` `name`), from the file name unless the user gives one.
    public var name: String
    /// The format read (`matpower`, `pandapower`, …).
    public var format: String
    /// The sector of every asset and link (`power`, `water`, `gas`, `transport`).
    public var sector: String
    /// The sector's supply mode in `network.yaml` (`sources` or `giant-component`).
    public var supply: String = "sources"
    public var assets: [ImportedAsset] = []
    public var links: [ImportedLink] = []
    /// Records of the file that are not in the model, in file order.
    public var leftOut: [LeftOutRecord] = []
    /// Ids that are not `<table>:<native id>` verbatim (set from `ImportIds.escapes`).
    public var escapedIds: [ImportIds.Escape] = []
    /// Findings the user should read (population 0, coordinates kept as x/y, …), in order.
    public var warnings: [String] = []
    /// Facts about the import that are not problems (units, patterns used, …), in order.
    public var notes: [String] = []
    /// How coordinates are stored: `wgs84` (lat/lon), `projected` (x/y in metres of one system),
    /// `local` (x/y in the file's units, system unknown) or `none`.
    public var coordinates: CoordinateKind = .none
    /// The coordinate system the file's coordinates were read in (`EPSG:31467`, …), when known.
    public var sourceCRS: String?
    /// The owner of every asset (links default to their `from` asset's), nil for none.
    public var owner: String?
    /// The load or demand measure population was derived from, e.g. `Pd (MW)`, `demand (GPM)`.
    public var loadMeasure: String = ""

    public init(name: String, format: String, sector: String) {
        self.name = name
        self.format = format
        self.sector = sector
    }

    public enum CoordinateKind: String, Sendable { case wgs84, projected, local, none }
}

/// One asset of an imported network.
public struct ImportedAsset: Sendable {
    public var id: String
    public var kind: String
    /// `source`, `node` or `consumer`.
    public var role: String
    /// The file's table (`bus`, `junction`, …) and the element's own id or index in it.
    public var table: String
    public var nativeId: String
    /// The element's name in the file ("" when it has none).
    public var name: String
    /// The 1-based line of the file the element is defined on.
    public var line: Int
    /// The element's load or demand in the file's unit (population is derived from it), ≥ 0.
    public var load: Double = 0
    /// People on this asset (set by `PopulationAllocation`).
    public var population: Double = 0
    /// Coordinates: lat/lon (WGS84) or x/y, per `ImportedModel.coordinates`; nil when unknown.
    public var point: (Double, Double)?

    public init(
        id: String, kind: String, role: String = "node", table: String, nativeId: String,
        name: String = "", line: Int, load: Double = 0, point: (Double, Double)? = nil
    ) {
        self.id = id
        self.kind = kind
        self.role = role
        self.table = table
        self.nativeId = nativeId
        self.name = name
        self.line = line
        self.load = load
        self.point = point
    }
}

/// One link of an imported network.
public struct ImportedLink: Sendable {
    public var id: String
    public var kind: String
    public var from: String
    public var to: String
    public var directed: Bool
    public var table: String
    public var nativeId: String
    public var name: String
    public var line: Int
    /// Length in km, when the file gives one.
    public var lengthKm: Double?

    public init(
        id: String, kind: String, from: String, to: String, directed: Bool = false, table: String,
        nativeId: String, name: String = "", line: Int, lengthKm: Double? = nil
    ) {
        self.id = id
        self.kind = kind
        self.from = from
        self.to = to
        self.directed = directed
        self.table = table
        self.nativeId = nativeId
        self.name = name
        self.line = line
        self.lengthKm = lengthKm
    }
}

/// A record of the file that the model leaves out, with the reason (`import-report.json`).
public struct LeftOutRecord: Sendable, Equatable {
    public var table: String
    public var nativeId: String
    public var line: Int
    public var reason: String

    public init(table: String, nativeId: String, line: Int, reason: String) {
        self.table = table
        self.nativeId = nativeId
        self.line = line
        self.reason = reason
    }
}
