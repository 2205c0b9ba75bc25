import ArgumentParser
import Foundation
import KaskadaService
import Situations

/// `kaskada-serve MODEL_OR_SCENARIO [options]`, or `kaskada-serve hash-token`.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kaskada-serve",
        abstract: "Serve live situations of a model or scenario over HTTP.",
        discussion: "Also: `kaskada-serve hash-token` reads a token from stdin and prints its tokens-file line.")

    @Argument(help: "A model (folder or network.yaml) or a scenario file.")
    var modelOrScenario: String
    @Option(help: "Port to listen on (0: any free port).") var port: Int = 8080
    @Option(help: "Address to bind (a non-loopback address needs --tokens).") var bind: String = "127.0.0.1"
    @Option(help: "Folder of the situations database.") var data: String = "results/serve"
    @Option(help: "Tokens file: lines `<sha256-hex> <role>`.") var tokens: String?
    @Option(help: "Threads of a forward run (default: the cores).") var threads: Int?
    @Option(help: "Requests per second per token.") var rate: Double = 20
    @Option(help: "Burst of requests per token.") var burst: Double = 40
    @Option(name: .customLong("compute-seconds"), help: "Time limit of an outlook or what-if (seconds).") var computeSeconds: Double = 30
    @Option(
        name: .customLong("max-sample-hours"),
        help: "Largest samples × max(horizon_hours, 72) of one outlook or what-if; larger ones are refused with 422 before they start.")
    var maxSampleHours: Double = ServiceSettings.defaultMaxSampleHours

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
        guard rate > 0, burst >= 1 else { throw ValidationError("--rate must be > 0 and --burst ≥ 1") }
        guard computeSeconds > 0 else { throw ValidationError("--compute-seconds must be > 0") }
        guard maxSampleHours >= 1 else { throw ValidationError("--max-sample-hours must be ≥ 1") }
    }
}

func isLoopback(_ host: String) -> Bool {
    host == "localhost" || host == "::1" || host.hasPrefix("127.")
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data(("kaskada serve: " + message + "\n").utf8))
    exit(2)
}

let args = Array(CommandLine.arguments.dropFirst())
if args.first == "hash-token" {
    let input = FileHandle.standardInput.readDataToEndOfFile()
    let token = String(decoding: input, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard !token.isEmpty, args.count <= 2 else { fail("hash-token reads one token from stdin; usage: kaskada-serve hash-token [ROLE] < token") }
    guard token.utf8.count >= 16 else { fail("a token should have at least 16 characters (e.g. `openssl rand -hex 32`)") }
    print(TokenTable.line(token: token, role: args.count == 2 ? args[1] : "centre"))
    exit(0)
}

let command: ServeCommand
do {
    command = try ServeCommand.parse(args)
} catch {
    let code = ServeCommand.exitCode(for: error)
    let message = ServeCommand.fullMessage(for: error)
    if code == .success { print(message); exit(0) }
    fail(message)
}

if command.tokens == nil, !isLoopback(command.bind) {
    fail(
        "refusing to listen on \(command.bind) without --tokens: every request would act as the operations centre. Give a tokens file, or bind 127.0.0.1 behind a TLS proxy."
    )
}

let source: SituationSource
do { source = try SituationSource.load(path: command.modelOrScenario) } catch { fail(error.description) }
for w in source.warnings { FileHandle.standardError.write(Data(("warning: " + w + "\n").utf8)) }

var settings = ServiceSettings(dataDirectory: command.data)
if let t = command.tokens {
    do { settings.tokens = try TokenTable.load(path: t, owners: source.owners) } catch { fail(error.description) }
}
if let t = command.threads { settings.threads = t }
settings.rate = command.rate
settings.burst = command.burst
settings.computeSeconds = command.computeSeconds
settings.maxSampleHours = command.maxSampleHours
settings.host = ProcessInfo.processInfo.hostName

let service: KaskadaService
do { service = try KaskadaService(source: source, settings: settings) } catch {
    fail("cannot open the situations database in \(command.data): \(error)")
}

let host = command.bind
let dir = command.data
let noTokens = command.tokens == nil
let app = service.application(host: host, port: command.port) { port in
    let shown = host.contains(":") ? "[\(host)]" : host
    var line = "kaskada serve: listening on http://\(shown):\(port) (situations in \(dir))"
    if noTokens { line += "; no tokens file: every request acts as centre" }
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
do { try await app.runService() } catch {
    fail("the server stopped: \(error)")
}
