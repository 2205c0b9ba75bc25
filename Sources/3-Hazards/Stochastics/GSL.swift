internal import CGSL

/// One-time GSL set-up shared by every Stochastics entry point.
public enum GSL {
    /// Runs once, lazily and thread-safely (Swift global/static initialisation uses `swift_once`).
    private static let once: Void = {
        _ = gsl_set_error_handler_off()
    }()

    /// Turns GSL's aborting default error handler off, so failures surface as status codes or NaN.
    ///
    /// Idempotent and thread-safe; after the first call it costs one atomic load. Every public
    /// Stochastics entry that reaches GSL calls it, so callers never need to.
    @inline(__always)
    public static func initialize() {
        _ = once
    }

    /// Converts a GSL status code into a thrown ``StochasticsError`` when it is not `GSL_SUCCESS`.
    @inline(__always)
    static func check(_ status: Int32, _ function: StaticString = #function) throws(StochasticsError) {
        if status != GSL_SUCCESS {
            throw StochasticsError(status: status, function: "\(function)")
        }
    }
}

/// A GSL failure: the GSL status code and its `gsl_strerror` text.
public struct StochasticsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// GSL status code (for example `4` = `GSL_EINVAL`).
    public let status: Int32
    /// GSL's text for `status`, from `gsl_strerror`.
    public let message: String
    /// The Stochastics function that received the status.
    public let function: String

    /// Builds the error for a GSL status code, looking its text up with `gsl_strerror`.
    init(status: Int32, function: String) {
        self.status = status
        self.message = gsl_strerror(status).map { String(cString: $0) } ?? "unknown GSL error"
        self.function = function
    }

    /// `"<function>: GSL error <status>: <message>"`.
    public var description: String { "\(function): GSL error \(status): \(message)" }
}
