/// One timed sample's people without service per sector over time: a step curve with a point
/// at each moment the people change (`times[k]`, sector s's value at `values[k × sectors + s]`),
/// and the per-sample figures taken from it. Buffers reused across samples.
struct PeopleCurve {
    /// People without service per sector at the current moment (scratch of `record`).
    var people: [Double]
    var times: [Double] = [], values: [Double] = []

    init(sectors: Int) { people = [Double](repeating: 0, count: sectors) }

    /// An empty curve (a new sample).
    mutating func reset() {
        times.removeAll(keepingCapacity: true); values.removeAll(keepingCapacity: true)
    }

    /// Appends `people` at `now` unless nothing changed; a second state at the same moment
    /// replaces the first. - Complexity: O(sectors).
    mutating func record(at now: Double) {
        let nS = people.count
        if let last = times.last {
            let base = (times.count - 1) * nS
            var same = true
            for s in 0..<nS where values[base + s] != people[s] { same = false; break }
            if same { return }
            if last == now { for s in 0..<nS { values[base + s] = people[s] }; return }
        }
        times.append(now)
        values.append(contentsOf: people)
    }

    /// Sector s's people-hours up to `horizon`, its peak, and restore95: the end of the last
    /// interval with more than `threshold` people without (0 when none; NaN when at the horizon).
    func figures(sector s: Int, horizon: Double, threshold: Double) -> (hours: Double, peak: Double, restore: Double) {
        let nS = people.count, points = times.count
        var integral = 0.0, peakValue = 0.0
        for k in 0..<points {
            let end = k + 1 < points ? times[k + 1] : horizon
            let v = values[k * nS + s]
            integral += v * (end - times[k])
            peakValue = max(peakValue, v)
        }
        var restore = 0.0
        for k in stride(from: points - 1, through: 0, by: -1) where values[k * nS + s] > threshold {
            restore = k + 1 < points ? times[k + 1] : .nan
            break
        }
        return (integral, peakValue, restore)
    }
}
