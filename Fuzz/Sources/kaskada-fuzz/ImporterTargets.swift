import Foundation
import Importers
import ModelIO

/// Targets for `kaskada import`: each format's reader, then the model folder writer, which loads
/// the written model back. A model that the importer produced and its own loader refuses is a
/// finding (the command would exit 1 with "a fault of kaskada import").
enum ImporterTargets {
    static func importer(_ format: ImportFormat, file: String, lengthUnit: String? = nil) -> FuzzTargets.Target {
        .init(name: format.rawValue, files: [file]) { s in
            let model: ImportedModel
            do {
                model = try format.read(ImportInput(path: s.path(file)), options: ImportOptions(), lengthUnit: lengthUnit)
            } catch { check(error, target: format.rawValue); return }
            defer { s.clear("out") }
            do {
                _ = try ModelFolderWriter.write(
                    model, provenance: .init(inputName: file, inputSHA256: "0", options: [:], kaskadaVersion: "fuzz"),
                    to: s.path("out"))
            } catch let e as ModelFolderWriter.Unloadable {
                finding("\(format.rawValue): \(e.description)")
            } catch {
                finding("\(format.rawValue): the model folder was not written: \(error)")
            }
        }
    }

    static let all: [FuzzTargets.Target] = [
        importer(.matpower, file: "case.m"),
        importer(.pandapower, file: "net.json"),
        importer(.pandapipes, file: "net.json"),
        importer(.epanet, file: "net.inp"),
        importer(.tntp, file: "net_net.tntp", lengthUnit: "mi"),
    ]
}
