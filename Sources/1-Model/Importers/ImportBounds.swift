import InfraModel
import ModelIO

extension ImportedModel {
    /// Values that the model loader would refuse (docs/formats.md "Valid ranges"), as input
    /// errors at the record's line of the input file, so that `kaskada import` exits 2 naming
    /// the record instead of writing a model it cannot load (found by the tntp fuzz target: a
    /// road of 92,044 km). - Complexity: O(assets + links).
    func boundsErrors(file: String) -> DiagnosticBag {
        var bag = DiagnosticBag()
        for l in links {
            if let k = l.lengthKm, !(k >= 0 && k <= Bounds.km) {
                bag.error(
                    file, line: l.line, field: "\(l.table)[\(l.nativeId)].length",
                    "\(k) km is not a length: expected 0 to 40,075 km (the Equator); check the file's length unit")
            }
        }
        for a in assets {
            if !(a.population >= 0 && a.population <= Bounds.population) {
                bag.error(
                    file, line: a.line, field: "\(a.table)[\(a.nativeId)].population",
                    "\(a.population) people on one asset: expected 0 to 10^10; check its load and the --people-per-… option")
            }
            guard let p = a.point else { continue }
            if coordinates == .wgs84 ? !(abs(p.0) <= 90 && abs(p.1) <= 180) : !(p.0.isFinite && p.1.isFinite) {
                bag.error(
                    file, line: a.line, field: "\(a.table)[\(a.nativeId)].coordinates",
                    coordinates == .wgs84 ? "(\(p.0), \(p.1)) is not a latitude and longitude in degrees" : "(\(p.0), \(p.1)) is not a finite x/y")
            }
        }
        return bag
    }
}
