import Foundation
import InfraModel
import TestSupport
import Testing

@testable import ModelIO

/// Input mistakes are named with their cause and fix.
@Suite struct InputHelpTests {
    /// A model folder with `network.yaml` and `assets.csv` (bytes as given).
    static func model(_ assets: [UInt8], yaml: String = "name: t\nassets: assets.csv\n") throws -> String {
        let dir = TemporaryFolder.url("help")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(yaml.utf8).write(to: dir.appendingPathComponent("network.yaml"))
        try Data(assets).write(to: dir.appendingPathComponent("assets.csv"))
        return dir.appendingPathComponent("network.yaml").path
    }

    static func errors(_ path: String) -> [String] {
        do { _ = try NetworkLoader.load(path: path); return [] } catch { return error.diagnostics.errors.map(\.description) }
    }

    /// `helth` was a sector of its own (weight 1 instead of health's 2, no warning).
    @Test func misspelledSectorIsAnErrorWithDidYouMean() throws {
        let p = try Self.model(Array("id,sector,kind,population\nA,power,sub,10\nB,helth,hospital,5\n".utf8))
        let e = Self.errors(p)
        #expect(e.count == 1 && e[0].contains("assets.csv:3") && e[0].contains("unknown sector 'helth': did you mean 'health'?"), "\(e)")
        // close to a declared sector too
        let q = try Self.model(
            Array("id,sector,kind\nA,gridd,sub\n".utf8), yaml: "name: t\nassets: assets.csv\nsectors:\n  grid: {supply: sources}\n")
        #expect(Self.errors(q).first?.contains("did you mean 'grid'?") == true)
        // DESIGN: an undeclared sector far from every known name is a sector of its own (supply
        // sources), and short names are never taken for each other: "p" and "a"/"b" stay valid
        let r = try Self.model(Array("id,sector,kind,role\nS,p,plant,source\nA,a,node,node\nB,b,node,node\n".utf8))
        #expect(Self.errors(r).isEmpty)
        let (_, warnings) = try NetworkLoader.load(
            path: try Self.model(
                Array("id,sector,kind\nA,p,x\nB,power,y\n".utf8),
                yaml: "name: t\nassets: assets.csv\nsectors:\n  power: {supply: sources}\n"))
        #expect(warnings.contains { $0.description.contains("sector 'p' is not declared under sectors:") })
        #expect(SectorNames.distance(Array("helth".utf8), Array("health".utf8)) == 1)
        #expect(SectorNames.distance(Array("pwoer".utf8), Array("power".utf8)) == 1)
    }

    @Test func semicolonSeparatorsAreNamed() throws {
        let e = Self.errors(try Self.model(Array("id;sector;kind;population\nA;power;sub;10,5\n".utf8)))
        #expect(e.count == 1 && e[0].contains("assets.csv:1") && e[0].contains("uses ';' as column separator"), "\(e)")
        let t = Self.errors(try Self.model(Array("id\tsector\tkind\nA\tpower\tsub\n".utf8)))
        #expect(t.count == 1 && t[0].contains("uses a tab as column separator"), "\(t)")
    }

    @Test func decimalCommasAreNamed() throws {
        let e = Self.errors(try Self.model(Array("id,sector,kind,population\nA,power,sub,\"10,5\"\n".utf8)))
        #expect(e.first?.contains("found '10,5': a decimal comma? Kaskada reads '.' as the decimal point: write 10.5") == true, "\(e)")
        #expect(NetworkBuilder.decimalComma("-0,25") == "-0.25")
        #expect(NetworkBuilder.decimalComma("1,234,567") == nil && NetworkBuilder.decimalComma("abc,5") == nil)
    }

    /// "Straße" saved as Windows-1252: ß is the single byte 0xDF.
    @Test func windows1252IsNamed() throws {
        let e = Self.errors(try Self.model(Array("id,sector,kind\nA,power,Stra".utf8) + [0xDF] + Array("e\n".utf8)))
        #expect(e.first?.contains("assets.csv:2") == true)
        #expect(e.first?.contains("byte 0xDF") == true && e.first?.contains("'ß' in Windows-1252/Latin-1") == true, "\(e)")
        #expect(e.first?.contains("save the file as UTF-8") == true)
    }

    /// The library built into the binary is the shipped file, byte for byte (regenerate with
    /// scripts/embed-fragility.sh), and is what a binary far from the checkout reads.
    @Test func embeddedLibraryEqualsTheShippedFile() throws {
        let shipped = URL(fileURLWithPath: TestPaths.defaultFragility)
        #expect(Data(embeddedDefaultFragility.utf8) == (try Data(contentsOf: shipped)))
        // a binary far from any checkout reads the built-in text, with no temporary file
        let far = FragilityLoader.locateDefault(scenarioPath: "/nonexistent/s.yaml", executablePath: "/nonexistent/bin/kaskada")
        if FileManager.default.fileExists(atPath: "scenarios/fragility/default.csv") {
            // the working directory is a checkout: the walk from it finds the file
            #expect(far == .file("scenarios/fragility/default.csv"))
        }
        var fromText = FragilityLibrary(), fromFile = FragilityLibrary()
        try FragilityLoader.load(.builtIn(embeddedDefaultFragility), into: &fromText)
        try FragilityLoader.load(path: shipped.path, into: &fromFile)
        #expect(fromText.curves.count == fromFile.curves.count && fromText.curves.count > 50)
        for (key, curve) in fromFile.curves {
            #expect(fromText.curves[key]?.median == curve.median && fromText.curves[key]?.repairMedianHours == curve.repairMedianHours)
            #expect(fromText.curves[key]?.origin.hasPrefix(DefaultFragilitySource.builtInName + ":") == true)
        }
    }
}
