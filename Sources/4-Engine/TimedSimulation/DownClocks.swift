/// Per asset, in one timed sample: since when it is not working (NaN: working) and the hours it
/// was down so far; with the assets that went down at least once. Reset per sample in
/// O(assets that went down).
struct DownClocks {
    var since: [Double], hours: [Double]
    /// Assets down at some moment of this sample, in first-down order.
    var touched: [Int32] = []

    init(assets: Int) {
        since = [Double](repeating: .nan, count: assets)
        hours = [Double](repeating: 0, count: assets)
    }

    /// Every asset up, no down time (a new sample).
    mutating func reset() {
        for a in touched { since[Int(a)] = .nan; hours[Int(a)] = 0 }
        touched.removeAll(keepingCapacity: true)
    }
}
