import Foundation
import Importers
import InfraGraph
import InfraModel
import ModelIO
import RunPipeline

/// Targets for the files a user writes: models, scenarios, hazard footprints, fragility
/// libraries, and the coupling file of `kaskada couple`.
enum ReaderTargets {
    /// A model and an included model (`b/`), as the malformed corpus names their files.
    static let modelFiles = [
        "network.yaml", "assets.csv", "links.csv", "dependencies.csv",
        "b/network.yaml", "b/assets.csv", "b/links.csv", "b/dependencies.csv",
    ]

    static let all: [FuzzTargets.Target] = [
        // network.yaml with its tables and includes; a model that loads is compiled.
        .init(name: "model", files: modelFiles) { s in
            do {
                let (net, _) = try NetworkLoader.load(path: s.path("network.yaml"))
                _ = CompiledGraph(net)
            } catch { check(error, target: "model") }
        },
        // A scenario, its model, fragility library, footprint and intensity table: loaded as
        // `kaskada run` loads it, then compiled (graph, hazard plan, timed plan).
        .init(name: "scenario", files: ["scenario.yaml", "fragility.csv", "zones.geojson", "depths.csv"] + modelFiles) { s in
            do {
                let loaded = try RunPipeline.load(s.path("scenario.yaml"), samples: nil, seed: nil, noRankings: false, noMitigations: false)
                _ = try RunPipeline.prepare(loaded.scenario)
            } catch { check(error, target: "scenario") }
        },
        .init(name: "geojson", files: ["zones.geojson"]) { s in
            do { _ = try GeoJSONLoader.load(path: s.path("zones.geojson"), property: "depth_m", geographic: true) } catch {
                check(error, target: "geojson")
            }
        },
        .init(name: "fragility", files: ["fragility.csv"]) { s in
            var library = FragilityLibrary()
            do { try FragilityLoader.load(path: s.path("fragility.csv"), into: &library) } catch { check(error, target: "fragility") }
        },
        // couple.yaml over two small models; a spec that loads is coupled (nearest-provider rules).
        .init(
            name: "couple",
            files: [
                "couple.yaml", "mv/network.yaml", "mv/assets.csv", "mv/links.csv",
                "crit/network.yaml", "crit/assets.csv", "water-users.csv",
            ]
        ) { s in
            do {
                let spec = try CouplingLoader.load(path: s.path("couple.yaml"))
                _ = try Coupler.couple(spec)
            } catch { check(error, target: "couple") }
        },
    ]
}
