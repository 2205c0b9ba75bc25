/// A point in model coordinates: (lon, lat) degrees or (x, y) metres.
public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// A polygon: one exterior ring and any number of holes, each ring closed (first == last).
public struct Polygon: Sendable, Equatable {
    public var exterior: [Point]
    public var holes: [[Point]]
    public init(exterior: [Point], holes: [[Point]] = []) {
        self.exterior = exterior
        self.holes = holes
    }
}

/// One GeoJSON feature reduced to what hazards need: its polygons and the chosen property value.
public struct IntensityArea: Sendable, Equatable {
    /// Polygons of a Polygon or MultiPolygon geometry.
    public var polygons: [Polygon]
    /// The value of the scenario's `property` on this feature.
    public var value: Double
    public init(polygons: [Polygon], value: Double) {
        self.polygons = polygons
        self.value = value
    }
}
