import ArgumentParser
import Foundation
import Importers
import InfraModel
import ModelIO
import ResultFiles
import RunPipeline

/// `kaskada import FORMAT FILE --out DIR`: a utility's network file as a Kaskada model folder.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a network file of a utility's tool (MATPOWER, TNTP, …) into a model folder.",
        discussion: """
            Writes DIR/network.yaml, assets.csv and links.csv (a model for kaskada validate and \
            scenarios), import-ids.csv (each model id with the file's table, own id, name and line) \
            and import-report.json (counts, every record left out with its reason and line, every \
            id that had to be escaped, the input's SHA-256). The same input and options give the \
            same bytes. Population comes from load or demand only by a factor you state: \
            --people-per-mw (power), --people-per-unit (the file's load unit) or \
            --population-total; without one it is 0 and a warning says so. Conventions per \
            format: docs/import.md. Exit 2 on bad input, with nothing written.
            """
    )

    @Argument(help: "The format: \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: String

    @Argument(help: "The input file.")
    var file: String

    @Option(help: "Model folder to write (replaced whole).")
    var out: String

    @Option(name: .customLong("people-per-mw"), help: "People per MW of load (power formats).")
    var peoplePerMW: Double?

    @Option(
        name: .customLong("people-per-unit"), help: "People per unit of the file's load or demand (any format; the unit is in import-report.json).")
    var peoplePerUnit: Double?

    @Option(name: .customLong("population-total"), help: "Total population, spread pro rata by load or demand.")
    var populationTotal: Double?

    @Option(help: "Coordinate system of the file's coordinates when the file does not name one, e.g. EPSG:31467.")
    var crs: String?

    @Flag(name: .customLong("tanks-as-sources"), help: "EPANET: tanks are sources, as reservoirs are.")
    var tanksAsSources = false

    @Option(help: "TNTP: node coordinates (a TNTP node file, or GeoJSON points with node_id).")
    var nodes: String?

    @Option(name: .customLong("length-unit"), help: "TNTP: the unit of the length column (m, km, mi, ft).")
    var lengthUnit: String?

    @Option(help: "The owner (utility or authority) of every asset, for crews, coordination and briefs.")
    var owner: String?

    @Option(help: "The model's name (default: the file name without extension).")
    var name: String?

    @Flag(help: "Print nothing but errors and warnings.")
    var quiet = false

    func validate() throws {
        guard let f = ImportFormat(rawValue: format) else {
            throw ValidationError(
                "'\(format)' is not a format kaskada import reads: expected \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let given = [peoplePerMW, peoplePerUnit, populationTotal].compactMap { $0 }
        if given.count > 1 { throw ValidationError("give one of --people-per-mw, --people-per-unit and --population-total") }
        if let v = given.first, !(v.isFinite && v >= 0) { throw ValidationError("a population option must be a number ≥ 0, found \(v)") }
        if peoplePerMW != nil && !f.loadIsMW {
            throw ValidationError(
                "--people-per-mw applies to power formats; \(format) load is not in MW: use --people-per-unit or --population-total")
        }
        if let o = owner, o.trimmingCharacters(in: .whitespaces).isEmpty || o.contains(where: { $0 == "\n" || $0 == "\r" }) {
            throw ValidationError("--owner must be a name on one line, found '\(o)'")
        }
        if nodes != nil && f != .tntp { throw ValidationError("--nodes applies to tntp only") }
        if lengthUnit != nil && f != .tntp { throw ValidationError("--length-unit applies to tntp only") }
        if let n = name, n.isEmpty || ImportIds.escape(n) != n || n.contains(":") || n.contains("/") {
            throw ValidationError("--name '\(n)' is not a model name: expected [A-Za-z0-9._-]+")
        }
    }

    func run() throws {
        let f = ImportFormat(rawValue: format)!
        var o = ImportOptions()
        o.peoplePerUnit = peoplePerMW ?? peoplePerUnit
        o.populationTotal = populationTotal
        o.crs = crs
        o.tanksAsSources = tanksAsSources
        o.nodesFile = nodes
        o.name = name
        o.owner = owner?.trimmingCharacters(in: .whitespaces)
        var echo: [String: String] = [:]
        if let v = peoplePerMW { echo["people_per_mw"] = JSON.number(v) }
        if let v = peoplePerUnit { echo["people_per_unit"] = JSON.number(v) }
        if let v = populationTotal { echo["population_total"] = JSON.number(v) }
        if let v = crs { echo["crs"] = v }
        if tanksAsSources { echo["tanks_as_sources"] = "true" }
        if let v = nodes { echo["nodes"] = (v as NSString).lastPathComponent }
        if let v = lengthUnit { echo["length_unit"] = v }
        if let v = name { echo["name"] = v }
        if let v = owner { echo["owner"] = v }

        let input = try ImportInput(path: file)
        let m = try f.read(input, options: o, lengthUnit: lengthUnit)
        let loaderWarnings: [Diagnostic]
        do {
            loaderWarnings = try ModelFolderWriter.write(
                m,
                provenance: .init(
                    inputName: input.fileName, inputSHA256: input.sha256,
                    options: echo, kaskadaVersion: KaskadaVersion.string), to: out)
        } catch let e as ModelFolderWriter.Unloadable {
            Console.errorLines(["\(file): error: \(e.description)"])
            throw ExitCode(1)
        }
        for w in m.warnings { Console.errorLines(["\(file): warning: \(w)"]) }
        Console.errorLines(loaderWarnings.map(\.description))
        if !quiet {
            let sources = m.assets.filter { $0.role == "source" }.count
            let people = m.assets.reduce(0.0) { $0 + $1.population }
            print(
                "imported \(input.fileName) (\(format)): \(m.assets.count) assets (\(sources) sources), \(m.links.count) links, "
                    + "\(m.leftOut.count) records left out, \(m.escapedIds.count) ids escaped, population \(NumberText.whole(people)) → \(out)")
            for n in m.notes { print("note: \(n)") }
            if !m.leftOut.isEmpty { print("left out (with reasons and lines): \(out)/import-report.json") }
        }
    }
}
