import Foundation
import PropertyBased
import Testing

/// A run's result does not depend on the thread count nor on the order of rows in the model's
/// tables (docs/specification.md section 5 "Monte Carlo": the same bytes for any thread count; section 2: the
/// result never depends on the order of rows; section 8 "Determinism"). Through the `kaskada` binary.
/// No shrinking by default: each step would be several runs (see RandomModel.swift to replay).
@Suite struct RunInvarianceProperty {
    /// 12 random runs (static or timed, with or without rankings and mitigations): `--threads 1`,
    /// 2 and 3 give the same bytes (run.log aside).
    @Test(.shrinking(false)) func resultIgnoresThreadCount() async throws {
        await propertyCheck(count: 12, input: RunRecipe.generator) { recipe in
            let f = try RunFolder(recipe)
            defer { f.remove() }
            for t in 1...3 { guard try f.run(out: "t\(t)", ["--threads", "\(t)"]) else { return } }
            ResultFolder.expectSame(f.path("t1"), f.path("t2"), "--threads 1 vs 2")
            ResultFolder.expectSame(f.path("t1"), f.path("t3"), "--threads 1 vs 3")
        }
    }

    /// 12 random runs: the model with the rows of assets.csv, links.csv and dependencies.csv
    /// shuffled gives the same files, manifest.json aside, with every decimal fraction rounded to
    /// 12 significant digits (`resultIgnoresRowOrder` compares the bytes, a known issue): any
    /// difference beyond the last bits of a double (an order, a value, a rank) fails here.
    @Test(.shrinking(false)) func resultIgnoresRowOrderBeyondRounding() async throws {
        await propertyCheck(count: 12, input: RunRecipe.generator) { recipe in
            let f = try RunFolder(recipe)
            defer { f.remove() }
            guard try f.run(out: "rows", ["--threads", "2"]),
                try f.run("shuffled.yaml", out: "shuffled", ["--threads", "2"])
            else { return }
            ResultFolder.expectSame(
                f.path("rows"), f.path("shuffled"), "rows shuffled (decimals to 12 digits)",
                except: ["manifest.json"], normalize: ResultFolder.roundedNumbers)
        }
    }

    /// 12 random runs: the model with the rows of assets.csv, links.csv and dependencies.csv
    /// shuffled gives the same bytes, manifest.json aside (it holds digests of the input files,
    /// which differ; `model_sha256` in summary.json is over the multiset of rows, so it does not).
    ///
    /// Known issue (found by this property): losses are summed over sectors in the order of
    /// their codes, which is the order of first appearance in assets.csv, and people per sector
    /// over assets in row order; with non-integer terms (timed people-hours, decimal populations)
    /// the last bits of `loss`, `rrw`, mitigation figures… depend on the row order. Minimal case:
    /// three assets in three sectors with populations 0.1, 0.2, 0.3, all out: loss
    /// 0.6000000000000001 in that row order, 0.6 in reverse. Remove `withKnownIssue` once fixed.
    @Test(.shrinking(false)) func resultIgnoresRowOrder() async throws {
        await withKnownIssue("float sums in sector-code and row order (see the doc comment)", isIntermittent: true) {
            await propertyCheck(count: 12, input: RunRecipe.generator) { recipe in
                let f = try RunFolder(recipe)
                defer { f.remove() }
                guard try f.run(out: "rows", ["--threads", "2"]),
                    try f.run("shuffled.yaml", out: "shuffled", ["--threads", "2"])
                else { return }
                ResultFolder.expectSame(f.path("rows"), f.path("shuffled"), "rows shuffled", except: ["manifest.json"])
            }
        }
    }
}
