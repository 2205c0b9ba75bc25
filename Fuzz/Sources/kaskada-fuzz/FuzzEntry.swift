import Foundation

/// libFuzzer's entry point: runs the target that `KASKADA_FUZZ_TARGET` names on one input.
///
/// An input may end with an `InputError` (bad input is expected); what must never happen is a
/// trap, an AddressSanitizer report, a leak, a timeout, or an error that names no file or carries
/// no message (docs/specification.md section 7: errors name the file, line and field). Those are findings.
@_cdecl("LLVMFuzzerTestOneInput")
public func kaskadaFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    FuzzTargets.selected.run(bytes)
    return 0
}

/// The fuzz targets, one per reader of outside input (Fuzz/README.md lists them with their files).
enum FuzzTargets {
    struct Target: Sendable {
        var name: String
        /// File names that the NUL-separated sections of an input are written to, in order.
        var files: [String]
        var body: @Sendable (Scratch) -> Void
        func run(_ bytes: UnsafeBufferPointer<UInt8>) {
            let scratch = Scratch.shared
            scratch.write(sections: bytes, to: files)
            body(scratch)
        }
    }

    static let all: [Target] = ReaderTargets.all + ImporterTargets.all + ResultFileTargets.all

    /// The target named by `KASKADA_FUZZ_TARGET`; the process stops with a list when it is unknown.
    static let selected: Target = {
        let name = ProcessInfo.processInfo.environment["KASKADA_FUZZ_TARGET"] ?? ""
        guard let t = all.first(where: { $0.name == name }) else {
            FileHandle.standardError.write(Data("KASKADA_FUZZ_TARGET must be one of: \(all.map(\.name).joined(separator: " "))\n".utf8))
            exit(2)
        }
        return t
    }()
}
