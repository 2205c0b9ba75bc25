import ResultFiles

/// The text of each data file of a result folder, from its `ResultData` alone (docs/specification.md section
/// 8; docs/outputs.md): numbers shortest round-trip (`JSON.number`), absent values empty in CSV
/// and null in JSON, CSV fields quoted when needed. A result read back from its files
/// (`ResultData.parse`) gives the same text.
enum ResultText {
    /// Size of the pieces the large CSV files are streamed in.
    static let pieceBytes = 1 << 16

    static func number(_ x: Double?) -> String { x.map(JSON.number) ?? "" }

    /// Each data file of `d` with the function that makes its text, in writing order: every data
    /// file but `results.geojson`, which needs the model (`ResultWriter`).
    static func files(_ d: ResultData) -> [(String, () -> String)] {
        var f: [(String, () -> String)] = [("summary.json", { summaryJSON(d) }), ("assets.csv", { whole(writeAssetsCSV, d) })]
        if let rows = d.timeline { f.append(("timeline.csv", { timelineCSV(rows) })) }
        if d.dependencies != nil { f.append(("dependencies.csv", { whole(writeDependenciesCSV, d) })) }
        if let rows = d.zones { f.append(("zones.csv", { zonesCSV(rows) })) }
        if let rows = d.coordination { f.append(("coordination.csv", { coordinationCSV(rows, timed: d.timed) })) }
        if let g = HazardFootprints.geoJSON(d.footprints) { f.append(("footprints.geojson", { g })) }
        if let rows = d.mitigations { f.append(("mitigations.csv", { mitigationsCSV(rows) })) }
        return f
    }

    /// A streamed file's whole text.
    static func whole(_ write: (ResultData, (String) throws -> Void) throws -> Void, _ d: ResultData) -> String {
        var text = ""
        try? write(d) { text += $0 }
        return text
    }

    /// `summary.json` (`SummaryFile`).
    static func summaryJSON(_ d: ResultData) -> String {
        // the encoder throws only for values that throw themselves; SummaryFile's do not
        (try? OrderedJSONEncoder.encode(SummaryFile(d.summary))) ?? ""
    }

    /// `manifest.json` with the files' digests (name, SHA-256 hex).
    static func manifestJSON(_ info: ManifestInfo, files: [(String, String)]) -> String {
        (try? OrderedJSONEncoder.encode(ManifestFile(info, files: files))) ?? ""
    }

    /// `assets.csv` in file order, in pieces of about 64 KiB, so that a writer streams it to
    /// disk (O(assets), one piece in memory).
    static func writeAssetsCSV(_ d: ResultData, _ emit: (String) throws -> Void) rethrows {
        var o = ResultSchema.assets.header
        o.reserveCapacity(pieceBytes + 1024)
        for a in d.assets.inSourceOrder {
            o.append(CSV.field(a.id)); o.append(",")
            o.append(a.sector); o.append(",")
            o.append(a.kind); o.append(",")
            o.append(CSV.field(a.owner)); o.append(",")
            o.append(CSV.field(a.zone)); o.append(",")
            o.append(JSON.number(a.population)); o.append(",")
            o.append(JSON.number(a.pDamage)); o.append(",")
            o.append(JSON.number(a.pOutage)); o.append(",")
            if let x = a.n1 { o.append(JSON.number(x)) }
            o.append(",")
            if let x = a.rrw { o.append(JSON.number(x)) }
            o.append(",")
            if let x = a.meanOutage { o.append(JSON.number(x)) }
            o.append(",")
            if let x = a.rank { o.append(String(x)) }
            o.append(",")
            if let x = a.p90Outage { o.append(JSON.number(x)) }
            o.append(",")
            if let x = a.x { o.append(JSON.number(x)) }
            o.append(",")
            if let y = a.y { o.append(JSON.number(y)) }
            o.append("\n")
            if o.utf8.count >= pieceBytes { try emit(o); o.removeAll(keepingCapacity: true) }
        }
        try emit(o)
    }

    /// `dependencies.csv` in file order, in pieces (see `writeAssetsCSV`); nothing without rows.
    static func writeDependenciesCSV(_ d: ResultData, _ emit: (String) throws -> Void) rethrows {
        guard let rows = d.dependencies else { return }
        var o = ResultSchema.dependencies.header
        o.reserveCapacity(pieceBytes + 1024)
        for r in rows.inSourceOrder {
            o.append(CSV.field(r.consumer)); o.append(",")
            o.append(CSV.field(r.provider)); o.append(",")
            o.append(CSV.field(r.group)); o.append(",")
            o.append(r.type); o.append(",")
            o.append(JSON.number(r.pCarried)); o.append(",")
            if let x = r.lossFollowing { o.append(JSON.number(x)) }
            o.append(",")
            o.append(CSV.field(r.consumerOwner)); o.append(",")
            o.append(CSV.field(r.providerOwner)); o.append("\n")
            if o.utf8.count >= pieceBytes { try emit(o); o.removeAll(keepingCapacity: true) }
        }
        try emit(o)
    }

    /// `zones.csv`: by zone and sector name.
    static func zonesCSV(_ rows: [ZoneRow]) -> String {
        var o = ResultSchema.zones.header
        for r in rows {
            o += CSV.field(r.zone) + "," + r.sector + "," + JSON.number(r.pLoss) + "," + number(r.meanDuration) + ","
            o += JSON.number(r.peopleAffected) + "," + r.warning + "\n"
        }
        return o
    }

    /// `coordination.csv`: by owner names; the timed columns empty in static mode.
    static func coordinationCSV(_ rows: [CoordinationRow], timed: Bool) -> String {
        var o = ResultSchema.coordination.header
        for r in rows {
            let top = r.top.map { $0.consumer + "<-" + $0.provider }.joined(separator: ";")
            o += CSV.field(r.owner) + "," + CSV.field(r.dependsOn) + "," + JSON.number(r.expectedLoss) + "," + CSV.field(top) + ","
            if timed {
                o += number(r.providerMedianOutage) + "," + number(r.backupHours) + "," + (r.medianCensored ? "true" : "false") + "\n"
            } else {
                o += ",,\n"
            }
        }
        return o
    }

    /// `timeline.csv`: by hours, then sector name.
    static func timelineCSV(_ rows: [TimelineRow]) -> String {
        var o = ResultSchema.timeline.header
        o.reserveCapacity(rows.count * 40)
        let byTime = rows.sorted { $0.hours != $1.hours ? $0.hours < $1.hours : $0.sector < $1.sector }
        for r in byTime {
            o += JSON.number(r.hours) + "," + r.sector + "," + JSON.number(r.mean) + "," + JSON.number(r.p05) + "," + JSON.number(r.p95) + "\n"
        }
        return o
    }

    /// `mitigations.csv`: options in scenario order; an option not evaluated has only its cost,
    /// the reason and its owners.
    static func mitigationsCSV(_ rows: [MitigationRow]) -> String {
        var o = ResultSchema.mitigations.header
        for r in rows {
            o += CSV.field(r.option) + "," + number(r.cost) + "," + number(r.lossReduction) + "," + number(r.ci95Low) + ","
            o += number(r.ci95High) + "," + number(r.benefitCost) + "," + (r.inPortfolio.map { $0 ? "true" : "false" } ?? "") + ","
            o += CSV.field(r.benefitCostUnit) + "," + CSV.field(r.beats.map { "\($0.option):\(JSON.number($0.p))" }.joined(separator: ";")) + ","
            o += CSV.field(r.notEvaluated) + "," + CSV.field(r.owners.joined(separator: ";")) + "\n"
        }
        return o
    }
}
