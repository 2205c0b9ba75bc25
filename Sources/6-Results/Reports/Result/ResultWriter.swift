import Foundation
import InfraModel
import ResultFiles

/// Writes a run's result folder (docs/specification.md section 8) from its `ResultData`: the data files
/// (`ResultText`), `results.geojson` and `results.gpkg` (with the model's links and zone outlines), then
/// `report.md`, `report.html` and `briefs/<owner>.md` rendered from the same value
/// (`ReportBuilder`), `run.log` and `manifest.json` last — staged in a temporary folder beside
/// the target and renamed into place, so that a failed run leaves nothing behind and an
/// existing result is replaced whole. Result files hold no times, host names or thread counts
/// (those go to `run.log`), so the same inputs and seed give the same bytes. Nothing written is
/// read back.
public struct ResultWriter {
    public static let schemaVersion = ManifestFile.schemaVersion

    /// The result, assembled once (`ResultAssembly.assemble`).
    public let data: ResultData
    /// The model, for `results.geojson` (links and zone outlines; none unless it has lat/lon).
    public let network: Network

    public init(data: ResultData, network: Network) {
        self.data = data
        self.network = network
    }

    /// Models with more assets and links than this get `results.gpkg` only: `results.geojson`
    /// (about 250 bytes per feature) would be a file of more than 250 MB that GIS software opens
    /// slowly; the GeoPackage holds the same features, indexed.
    public static let geoJSONFeatureLimit = 1_000_000

    /// True when the model has coordinates but more than `geoJSONFeatureLimit` assets and links:
    /// `results.geojson` is not written (the run says so in `run.log`).
    public var skipsGeoJSON: Bool {
        network.coordinates == .geographic && network.assets.count + network.links.count > Self.geoJSONFeatureLimit
    }

    /// The data files of the result, by name, in writing order (what `kaskada report` reads back).
    public func dataFiles() -> [(String, String)] {
        dataFileMakers().map { ($0.0, $0.1()) }
    }

    /// Each data file's name and the function that makes its text, so that a writer holds one
    /// large file at a time.
    func dataFileMakers() -> [(String, () -> String)] {
        var f = ResultText.files(data)
        if network.coordinates == .geographic && !skipsGeoJSON {
            let d = data, net = network
            f.append(("results.geojson", { ResultsGeoJSON.text(d, net) }))
        }
        return f
    }

    /// The files of the result, by name (everything but `run.log` and `manifest.json`): the data
    /// files, then `report.md`, `report.html` and `briefs/<owner>.md` rendered from the result.
    public func files() -> [(String, String)] {
        dataFiles() + ReportBuilder(data: data).build().map { ($0.name, $0.content) }
    }

    /// Writes the folder `dir` atomically (`AtomicFolder.replace`: a previous result stays whole
    /// until the new one replaces it). `runLog` goes to `run.log` (outside the identity guarantee).
    public func write(to dir: String, runLog: String) throws {
        try write(to: dir, runLog: { runLog })
    }

    /// The same, with `run.log`'s text made once every other file is staged (so that it can
    /// include the time spent writing them): nothing in the folder is written after the swap,
    /// where a kill would leave a temporary file inside the complete result.
    /// The units of `write`'s progress: the rows of assets.csv and dependencies.csv and the
    /// features of each map file written (at least 1).
    public var progressUnits: Int {
        let features = network.coordinates == .geographic ? network.assets.count + network.links.count : 0
        let mapFiles = features > 0 ? (skipsGeoJSON ? 1 : 2) : 0
        return max(1, data.assets.count + (data.dependencies?.count ?? 0) + mapFiles * features)
    }

    /// `progress(done, total)`: rows and features written so far of `progressUnits`, called at
    /// most every 65,536 rows and after each file; never with done == total, which the caller
    /// reports once the folder is in place (a line that says the result is written means it is).
    public func write(to dir: String, runLog: () -> String, progress: ((Int, Int) -> Void)? = nil) throws {
        let fm = FileManager.default
        let d = data
        let total = progressUnits
        var done = 0
        func advance(_ n: Int) {
            done = min(total - 1, done + n)
            progress?(done, total)
        }
        var pending = 0 // features since the last call
        func feature() {
            pending += 1
            if pending == 1 << 16 { advance(pending); pending = 0 }
        }
        try AtomicFolder.replace(dir) { staging in
            var manifest: [(String, String)] = []
            func put(_ name: String, _ text: String) throws {
                let url = staging.appendingPathComponent(name)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                let w = try DigestingWriter(path: url.path)
                try w.write(text)
                manifest.append((name, try w.finish()))
            }
            // the data files one at a time (the large ones streamed, not kept), then the reports
            func stream(_ name: String, _ body: (DigestingWriter) throws -> Void) throws {
                let w = try DigestingWriter(path: staging.appendingPathComponent(name).path)
                try body(w)
                manifest.append((name, try w.finish()))
            }
            let net = network
            for (name, make) in dataFileMakers() {
                switch name {
                case "assets.csv":
                    try stream(name) { w in try ResultText.writeAssetsCSV(d) { try w.write($0) } }
                    advance(d.assets.count)
                case "dependencies.csv":
                    try stream(name) { w in try ResultText.writeDependenciesCSV(d) { try w.write($0) } }
                    advance(d.dependencies?.count ?? 0)
                case "results.geojson":
                    try stream(name) { try ResultsGeoJSON.write(d, net, to: $0, each: feature) }
                    advance(pending); pending = 0
                default: try put(name, make())
                }
            }
            if network.coordinates == .geographic {
                // written by SQLite, then digested from the file
                let path = staging.appendingPathComponent("results.gpkg").path
                try ResultsGeoPackage.write(d, network, to: path, each: feature)
                advance(pending); pending = 0
                manifest.append(("results.gpkg", try SHA256.hex(fileAt: path)))
            }
            for r in ReportBuilder(data: d).build() { try put(r.name, r.content) }
            try Data(runLog().utf8).write(to: staging.appendingPathComponent("run.log"))
            if let info = d.manifest {
                try Data(ResultText.manifestJSON(info, files: manifest).utf8).write(to: staging.appendingPathComponent("manifest.json"))
            }
        }
    }
}
