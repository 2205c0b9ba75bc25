import InfraModel
import ResultFiles

/// `results.geojson`: the result on a map for GIS (QGIS, ArcGIS), written when the model has
/// `lat`/`lon` coordinates. RFC 7946: WGS84 longitude/latitude, no `crs` member. One
/// FeatureCollection of `ResultMapFeatures`, each feature's `layer` (asset, link, zone) its first
/// property. O(features) time; the text is built one feature at a time.
enum ResultsGeoJSON {
    static func text(_ d: ResultData, _ net: Network) -> String {
        var features = GeoJSON.CollectionText()
        ResultMapFeatures.forEach(d, net) { layer, geometry, properties in
            try? features.append(GeoJSON.Feature(geometry: geometry, properties: [("layer", .text(layer.rawValue))] + properties))
        }
        return features.finish()
    }
}
