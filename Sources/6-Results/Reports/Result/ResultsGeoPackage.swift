import GeoPackage
import InfraModel
import ResultFiles

/// `results.gpkg`: the result on a map as an OGC GeoPackage 1.3 (`GeoPackageWriter`), for GIS
/// software and for models too large for GeoJSON. The features of `results.geojson`
/// (`ResultMapFeatures`), one table per layer with typed columns and an R-tree index: `assets`
/// (points), `links` (lines) and `zones` (polygons), in EPSG:4326. Written row by row: memory is
/// one feature, whatever the model's size.
enum ResultsGeoPackage {
    /// Each layer's table name and description.
    static let tables: [ResultMapFeatures.Layer: (String, String)] = [
        .asset: ("assets", "Assets with their damage and outage probabilities and rankings (the columns of assets.csv)"),
        .link: ("links", "Links of the model whose two ends have coordinates"),
        .zone: ("zones", "Zones: convex hull of their assets, loss probability and warning level per sector"),
    ]

    /// Writes the file at `path`; `each` after every feature.
    static func write(_ d: ResultData, _ net: Network, to path: String, each: () -> Void = {}) throws {
        let w = try GeoPackageWriter(path: path)
        let columns: [ResultMapFeatures.Layer: [(String, ResultMapFeatures.ColumnType)]] = [
            .asset: ResultMapFeatures.assetColumns(d), .link: ResultMapFeatures.linkColumns, .zone: ResultMapFeatures.zoneColumns(d),
        ]
        let geometryType: [ResultMapFeatures.Layer: GeoPackageWriter.GeometryType] = [.asset: .point, .link: .lineString, .zone: .polygon]
        var current: ResultMapFeatures.Layer?
        var position: [String: Int] = [:]
        var values: [GeoPackageWriter.Value] = []
        // begins the layers after the current one up to `target` (nil: all), so that every layer
        // gets its table, even when empty, and readers see the same tables
        func advance(to target: ResultMapFeatures.Layer?) throws {
            for layer in ResultMapFeatures.Layer.allCases where current.map({ $0.rawIndex < layer.rawIndex }) ?? true {
                if let t = target, layer.rawIndex > t.rawIndex { break }
                guard let (name, description) = tables[layer], let cols = columns[layer], let type = geometryType[layer] else { continue }
                try w.beginLayer(name, description: description, geometry: type, columns: cols.map { ($0.0, Self.sqlType($0.1)) })
                position = Dictionary(uniqueKeysWithValues: cols.enumerated().map { ($0.element.0, $0.offset) })
                values = Array(repeating: .null, count: cols.count)
                current = layer
            }
        }
        try ResultMapFeatures.forEach(d, net) { layer, geometry, properties in
            if current != layer { try advance(to: layer) }
            // assets and links carry every column in order; a zone only the sectors it has
            let positional = layer != .zone
            for k in values.indices { values[k] = .null }
            for (i, (name, v)) in properties.enumerated() {
                guard let k = positional ? i : position[name] else { continue }
                switch v {
                case .text(let s): values[k] = .text(s)
                case .number(let x): values[k] = .real(x)
                case .integer(let n): values[k] = .integer(n)
                case .null: values[k] = .null
                }
            }
            try w.append(geometry.map(Self.geometry), values)
            each()
        }
        try advance(to: nil)
        try w.finish()
    }

    static func sqlType(_ t: ResultMapFeatures.ColumnType) -> GeoPackageWriter.ColumnType {
        switch t {
        case .text: .text
        case .real: .real
        case .integer: .integer
        }
    }

    static func geometry(_ g: ResultMapFeatures.Shape) -> GeoPackageWriter.Geometry {
        switch g {
        case .point(let x, let y): .point(x, y)
        case .segment(let xa, let ya, let xb, let yb): .segment(xa, ya, xb, yb)
        case .ring(let r): .polygon(r)
        }
    }
}
