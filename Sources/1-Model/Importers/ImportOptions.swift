/// What the user states about an import (docs/specification.md section 11): how load becomes population,
/// the coordinate system when the file does not say, and format switches.
public struct ImportOptions: Sendable {
    /// People per unit of the file's load or demand (`--people-per-mw` for power grids,
    /// `--people-per-unit` for any format: the unit is the importer's `loadMeasure`).
    public var peoplePerUnit: Double?
    /// Total population spread over the assets pro rata by load or demand (`--population-total`).
    public var populationTotal: Double?
    /// The coordinate system of the file's coordinates when the file does not name one (`--crs EPSG:n`).
    public var crs: String?
    /// EPANET: tanks are sources as well as reservoirs (`--tanks-as-sources`).
    public var tanksAsSources = false
    /// TNTP: the node file or GeoJSON with node coordinates (`--nodes FILE`).
    public var nodesFile: String?
    /// The owner of every asset (`--owner`): the utility whose file this is; none when nil.
    public var owner: String?
    /// The model's name; default: the input's file name without extension, escaped.
    public var name: String?

    public init() {}
}
