/// Sector names a model may use without declaring them, and the "did you mean" for the rest
/// (a misspelled `helth` became a sector of its own, with weight 1 instead of
/// the 2 given to `health`, and no warning).
enum SectorNames {
    /// The sectors docs/specification.md section 2 names for `assets.csv`.
    static let standard = [
        "power", "water", "wastewater", "gas", "fuel", "telecom", "transport", "health",
        "emergency", "government", "food",
    ]

    /// The known name `name` is most likely a misspelling of: optimal string alignment distance
    /// (Damerau–Levenshtein with adjacent transpositions) at most 2 and below half the name's
    /// length, the smallest distance first, ties in byte order; nil when none is that close.
    /// Short names ("a", "b" of a Buldyrev model) are therefore never taken for each other.
    static func closest(_ name: String, among known: [String]) -> String? {
        var best: (String, Int)? = nil
        for k in known where k != name {
            let d = distance(Array(name.utf8), Array(k.utf8))
            guard d <= 2, 2 * d < name.utf8.count else { continue }
            if best == nil || d < best!.1 || (d == best!.1 && k.utf8.lexicographicallyPrecedes(best!.0.utf8)) { best = (k, d) }
        }
        return best?.0
    }

    /// Optimal string alignment distance. O(|a| · |b|).
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
