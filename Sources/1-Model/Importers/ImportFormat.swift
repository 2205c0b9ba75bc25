import ModelIO

/// The formats `kaskada import` reads and the reader of each (docs/specification.md section 11).
public enum ImportFormat: String, CaseIterable, Sendable {
    case matpower, pandapower, pandapipes, epanet, tntp

    /// Whether load is in MW, so that `--people-per-mw` applies.
    public var loadIsMW: Bool { self == .matpower || self == .pandapower }

    /// Reads `input` as this format.
    public func read(_ input: ImportInput, options: ImportOptions, lengthUnit: String? = nil) throws(InputError) -> ImportedModel {
        var m = try readModel(input, options: options, lengthUnit: lengthUnit)
        m.owner = options.owner
        let out = m.boundsErrors(file: input.path)
        if out.hasErrors { throw InputError(out) }
        return m
    }

    func readModel(_ input: ImportInput, options: ImportOptions, lengthUnit: String?) throws(InputError) -> ImportedModel {
        switch self {
        case .matpower: return try MatpowerImporter.read(input, options: options)
        case .pandapower: return try PandapowerImporter.read(input, options: options)
        case .pandapipes: return try PandapipesImporter.read(input, options: options)
        case .epanet: return try EpanetImporter.read(input, options: options)
        case .tntp: return try TntpImporter.read(input, options: options, lengthUnit: lengthUnit)
        }
    }
}
