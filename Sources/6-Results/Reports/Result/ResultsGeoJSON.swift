import InfraModel
import ResultFiles

/// `results.geojson`: the result on a map for GIS (QGIS, ArcGIS), written when the model has
/// `lat`/`lon` coordinates. RFC 7946: WGS84 longitude/latitude, no `crs` member. One
/// FeatureCollection of `ResultMapFeatures`, each feature's `layer` (asset, link, zone) its first
/// property. O(features) time; the file is streamed one feature at a time.
enum ResultsGeoJSON {
    static func text(_ d: ResultData, _ net: Network) -> String {
        var features = GeoJSON.CollectionText()
        ResultMapFeatures.forEach(d, net) { features.append(feature($0, $1, $2)) }
        return features.finish()
    }

    /// The same bytes, streamed to `out` (memory: one feature); `each` after every feature.
    static func write(_ d: ResultData, _ net: Network, to out: DigestingWriter, each: () -> Void = {}) throws {
        var features = try GeoJSON.CollectionStream(out)
        try ResultMapFeatures.forEach(d, net) {
            try features.append(feature($0, $1, $2))
            each()
        }
        try features.finish()
    }

    static func feature(
        _ layer: ResultMapFeatures.Layer, _ shape: ResultMapFeatures.Shape?, _ properties: [(String, GeoJSON.Value)]
    ) -> GeoJSON.Feature {
        let geometry: GeoJSON.Geometry? =
            switch shape {
            case .point(let x, let y): .point([x, y])
            case .segment(let xa, let ya, let xb, let yb): .lineString([[xa, ya], [xb, yb]])
            case .ring(let r): .polygon([r.map { [$0.0, $0.1] }])
            case nil: nil
            }
        return GeoJSON.Feature(geometry: geometry, properties: [("layer", .text(layer.rawValue))] + properties)
    }
}
