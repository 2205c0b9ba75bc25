import ModelIO
import ResultFiles

/// The tables of a pandapower or pandapipes JSON file (`pandapowerNet` / `pandapipesNet`): each
/// table is a `{"_module": "pandas.core.frame", "_class": "DataFrame", "_object": "<JSON>"}`
/// whose `_object` is itself JSON text in pandas' `orient: split` layout (`columns`, `index`,
/// `data`). The table index is the element's id (not its row number). Cells of a table hold
/// only the outer file's line of its `_object`, which messages name. O(file size).
struct PandasFrames {
    struct Frame {
        var name: String
        /// The line of the table's `_object` in the file.
        var line: Int
        var columns: [String]
        var index: [JSONValue]
        var data: [[JSONValue]]
        private var col: [String: Int] = [:]

        init(name: String, line: Int, columns: [String], index: [JSONValue], data: [[JSONValue]]) {
            self.name = name
            self.line = line
            self.columns = columns
            self.index = index
            self.data = data
            for (i, c) in columns.enumerated() { col[c] = i }
        }

        var count: Int { index.count }
        func has(_ column: String) -> Bool { col[column] != nil }
        /// The cell of row `r` in `column` (null when the column is absent).
        func cell(_ r: Int, _ column: String) -> JSONValue? {
            guard let c = col[column], c < data[r].count else { return nil }
            return data[r][c]
        }
        /// The row's index as an id ("" when not an integer or a string).
        func id(_ r: Int) -> String { index[r].idText ?? "" }
    }

    /// The file's class (`pandapowerNet`, `pandapipesNet`).
    var className: String
    var frames: [String: Frame] = [:]
    let file: String

    init(_ input: ImportInput) throws(InputError) {
        file = input.path
        let root: JSONValue
        do { root = try JSONReader.parse(input.text) } catch {
            throw InputError(file: file, line: error.line, "not JSON: \(error.message)")
        }
        className = root["_class"]?.string ?? ""
        guard let obj = root["_object"], let members = obj.members else {
            throw InputError(
                file: file, line: root.line, field: "_object",
                "missing: expected a pandapower or pandapipes network saved with to_json")
        }
        for (key, value) in members where value["_class"]?.string == "DataFrame" {
            guard let inner = value["_object"], let text = inner.string else {
                throw InputError(file: file, line: value.line, field: "\(key)._object", "expected the table as a JSON string (pandas orient split)")
            }
            let t: JSONValue
            do { t = try JSONReader.parse(text) } catch {
                throw InputError(file: file, line: inner.line, field: key, "the table is not JSON: \(error.message)")
            }
            guard let cols = t["columns"]?.array, let idx = t["index"]?.array, let rows = t["data"]?.array else {
                throw InputError(file: file, line: inner.line, field: key, "expected a table in pandas orient split: columns, index and data")
            }
            let names = cols.map { $0.string ?? $0.idText ?? "" }
            var data: [[JSONValue]] = []
            data.reserveCapacity(rows.count)
            for (r, row) in rows.enumerated() {
                guard let cells = row.array, cells.count == names.count else {
                    throw InputError(
                        file: file, line: inner.line, field: key,
                        "row \(r) (index \(r < idx.count ? idx[r].idText ?? "?" : "?")) has \(row.array?.count ?? 0) values: expected \(names.count) (\(names.joined(separator: ", ")))"
                    )
                }
                data.append(cells)
            }
            guard idx.count == data.count else {
                throw InputError(file: file, line: inner.line, field: key, "\(idx.count) index entries for \(data.count) rows")
            }
            frames[key] = Frame(name: key, line: inner.line, columns: names, index: idx, data: data)
        }
    }

    /// Table `name`, empty when the file has none.
    func frame(_ name: String) -> Frame {
        frames[name] ?? Frame(name: name, line: 0, columns: [], index: [], data: [])
    }

    /// Errors unless every listed column is in the (non-empty) table.
    func require(_ f: Frame, _ columns: [String]) throws(InputError) {
        guard f.count > 0 else { return }
        let missing = columns.filter { !f.has($0) }
        if !missing.isEmpty {
            throw InputError(
                file: file, line: f.line, field: f.name,
                "missing column(s) \(missing.joined(separator: ", ")): expected \(columns.joined(separator: ", "))")
        }
    }

    /// A number cell, or an error naming the table, the element and the column.
    func number(_ f: Frame, _ r: Int, _ column: String, default d: Double? = nil) throws(InputError) -> Double {
        if let v = f.cell(r, column), let x = v.looseNumber, x.isFinite { return x }
        if let d, f.cell(r, column)?.isNull ?? true { return d }
        throw InputError(
            file: file, line: f.line, field: "\(f.name)[\(f.id(r))].\(column)",
            "'\(f.cell(r, column).map(Self.show) ?? "missing")' is not a number")
    }

    /// An element reference (a bus or junction index) as an id.
    func ref(_ f: Frame, _ r: Int, _ column: String) throws(InputError) -> String {
        if let v = f.cell(r, column), let s = v.idText, !s.isEmpty { return s }
        throw InputError(file: file, line: f.line, field: "\(f.name)[\(f.id(r))].\(column)", "expected the index of an element")
    }

    /// `in_service` (true when absent or null).
    func inService(_ f: Frame, _ r: Int) -> Bool { f.cell(r, "in_service")?.bool ?? true }

    static func show(_ v: JSONValue) -> String {
        switch v.kind {
        case .string(let s): return s
        case .number(let lit, _): return lit
        case .bool(let b): return String(b)
        case .null: return "null"
        default: return v.typeName
        }
    }

    /// (lat, lon) of a `geo` cell: a GeoJSON Point as a string (pandapower ≥ 3); nil when null.
    func geoPoint(_ f: Frame, _ r: Int) throws(InputError) -> (Double, Double)? {
        guard let v = f.cell(r, "geo"), let s = v.string, !s.isEmpty else { return nil }
        let g: JSONValue
        do { g = try JSONReader.parse(s) } catch {
            throw InputError(file: file, line: f.line, field: "\(f.name)[\(f.id(r))].geo", "not GeoJSON: \(error.message)")
        }
        guard g["type"]?.string == "Point", let c = g["coordinates"]?.array, c.count >= 2,
            let lon = c[0].number, let lat = c[1].number, abs(lat) <= 90, abs(lon) <= 180
        else {
            throw InputError(file: file, line: f.line, field: "\(f.name)[\(f.id(r))].geo", "expected a GeoJSON Point [longitude, latitude]")
        }
        return (lat, lon)
    }
}
