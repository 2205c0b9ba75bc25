import ArgumentParser
import CAllocator
import Foundation
import ModelIO
import RunPipeline

/// The `kaskada` command: critical-infrastructure dependency simulation.
struct Kaskada: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kaskada",
        abstract: "Critical-infrastructure dependency simulator: cascades, Monte Carlo disruptions, risk rankings.",
        discussion: """
            Exit codes: 0 success (warnings included), 1 the run could not finish, 2 bad input \
            (files or command line), 130 interrupted. File formats: docs/formats.md.
            """,
        version: KaskadaVersion.string,
        subcommands: [Validate.self, Run.self, Batch.self, Compare.self, Merge.self, Report.self, Import.self, Couple.self, Serve.self]
    )
}

/// Entry point: maps every failure to the exit codes of docs/specification.md section 7.
@main
enum Main {
    static func main() {
        // arrays of 256 KiB and more from mmap, so that freeing one returns its pages at once:
        // glibc otherwise raises its mmap threshold after the first large free and keeps freed
        // temporaries of up to 32 MiB (file segments, chunk arrays, grown columns) resident in
        // its heap; loading 10^6 assets peaked between 235 and 295 MiB from run to run, 224 with it
        _ = kaskada_mmap_large_allocations(256 * 1024)
        do {
            var command = try Kaskada.parseAsRoot()
            try command.run()
        } catch let e as InputError {
            Console.errorLines(e.diagnostics.report())
            exit(2)
        } catch let e as ExitCode {
            exit(e.rawValue)
        } catch {
            let code = Kaskada.exitCode(for: error)
            if code == .success {
                print(Kaskada.fullMessage(for: error))
                exit(0)
            }
            Console.errorLines([Kaskada.fullMessage(for: error)])
            // usage errors (argument-parser's 64) are bad input: exit 2
            exit(code.rawValue == 64 || code == .validationFailure ? 2 : (code.rawValue == 0 ? 1 : code.rawValue))
        }
    }
}

/// Writing to the terminal.
enum Console {
    static func errorLines(_ lines: [String]) {
        for l in lines { FileHandle.standardError.write(Data((l + "\n").utf8)) }
    }
}
