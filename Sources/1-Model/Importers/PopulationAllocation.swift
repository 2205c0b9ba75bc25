import Foundation
import ResultFiles

/// Population from load or demand (docs/specification.md section 11): a factor per unit (`--people-per-mw`,
/// `--people-per-unit`) or a total spread pro rata (`--population-total`); without either, every
/// asset gets 0 and the model says so. O(assets).
public enum PopulationAllocation {
    /// Sets `population` on every asset of `m` from its `load`. Records a warning when no option
    /// was given, and a note with the factor used.
    public static func apply(_ m: inout ImportedModel, options: ImportOptions) {
        let total = m.assets.reduce(0.0) { $0 + max(0, $1.load) }
        let unit = m.loadMeasure.isEmpty ? "load" : m.loadMeasure
        if let f = options.peoplePerUnit {
            for i in m.assets.indices { m.assets[i].population = max(0, m.assets[i].load) * f }
            m.notes.append("population = \(JSON.number(f)) people × \(unit) (total load \(Self.shown(total)))")
        } else if let n = options.populationTotal {
            if total > 0 {
                for i in m.assets.indices { m.assets[i].population = max(0, m.assets[i].load) / total * n }
                m.notes.append("population \(JSON.number(n)) spread pro rata by \(unit) (total load \(Self.shown(total)))")
            } else {
                m.warnings.append("--population-total \(JSON.number(n)) was given but no asset has \(unit) > 0: every population is 0")
            }
        } else {
            m.warnings.append(
                "no population option (--people-per-mw, --people-per-unit or --population-total): every asset has population 0, so losses count 0 people"
            )
        }
    }

    /// A load total for a note: six significant digits, so that summation noise
    /// (37.11599999999996) is not shown as a figure.
    static func shown(_ x: Double) -> String { NumberText.significant(x, 6) }
}
