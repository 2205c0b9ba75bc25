import ArgumentParser
import Foundation
import Importers
import InfraModel
import ModelIO
import ResultFiles

/// `kaskada couple COUPLE.yaml --out DIR`: models joined into one interdependent model.
struct Couple: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join models into one interdependent model by nearest-provider rules and tables.",
        discussion: """
            COUPLE.yaml names the models to include (each under a prefix) and the rules that \
            write dependency rows between them: each consumer depends on its k nearest providers \
            within max_km (great-circle distance; ties to the smaller id), or rows listed in a \
            table. Writes DIR/network.yaml (the includes and the rows), dependencies.csv and \
            coupling-report.csv (rule, consumer, provider, distance_km; unmatched consumers with \
            no provider). A consumer no provider matches is a warning, an error with \
            required: true. Format: docs/import.md. Exit 2 on bad input, with nothing written.
            """
    )

    @Argument(help: "The coupling file (YAML).")
    var file: String

    @Option(help: "Model folder to write (replaced whole).")
    var out: String

    @Flag(help: "Print nothing but errors and warnings.")
    var quiet = false

    func run() throws {
        let spec = try CouplingLoader.load(path: file)
        let result = try Coupler.couple(spec)
        var h = ResultFiles.SHA256()
        h.update(FileManager.default.contents(atPath: file) ?? Data())
        let loaderWarnings: [Diagnostic]
        do {
            loaderWarnings = try Coupler.write(spec, result, inputSHA256: h.hexDigest(), to: out)
        } catch let e as ModelFolderWriter.Unloadable {
            Console.errorLines(["\(file): error: \(e.description)"])
            throw ExitCode(1)
        }
        for w in result.warnings { Console.errorLines(["\(file): warning: \(w)"]) }
        Console.errorLines(loaderWarnings.map(\.description))
        if !quiet {
            var perRule: [String: Int] = [:]
            for r in result.rows { perRule[r.rule, default: 0] += 1 }
            print(
                "coupled \(spec.includes.count) models into \(spec.name): \(result.rows.count) dependency rows, "
                    + "\(result.unmatched.count) consumers unmatched → \(out)")
            for rule in spec.rules {
                let unmatched = result.unmatched.filter { $0.rule == rule.id }.count
                print("  \(rule.id): \(perRule[rule.id] ?? 0) rows" + (unmatched > 0 ? ", \(unmatched) consumers unmatched" : ""))
            }
        }
    }
}
