import InfraModel

/// Thrown when input files have errors; carries every diagnostic found.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: DiagnosticBag
    public init(_ diagnostics: DiagnosticBag) { self.diagnostics = diagnostics }
    public init(file: String, line: Int = 0, column: Int? = nil, field: String = "", _ message: String) {
        var bag = DiagnosticBag()
        bag.error(file, line: line, column: column, field: field, message)
        diagnostics = bag
    }
    public var description: String { diagnostics.report().joined(separator: "\n") }
}
