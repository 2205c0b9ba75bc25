/// A min-heap of timed changes ordered by (time, kind, element): a total order, so changes at
/// one time are applied in the same order in every run.
struct ChangeQueue {
    enum Kind: UInt8 {
        case repairDone = 0
        case outEnd = 1
        case outStart = 2
        case damage = 3
        case backupEnd = 4
    }
    var time: [Double] = [], kind: [UInt8] = [], element: [Int32] = []
    var count: Int { time.count }

    mutating func removeAll() {
        time.removeAll(keepingCapacity: true); kind.removeAll(keepingCapacity: true); element.removeAll(keepingCapacity: true)
    }

    @inline(__always) func less(_ i: Int, _ j: Int) -> Bool {
        if time[i] != time[j] { return time[i] < time[j] }
        if kind[i] != kind[j] { return kind[i] < kind[j] }
        return element[i] < element[j]
    }

    mutating func push(_ t: Double, _ k: Kind, _ x: Int32) {
        time.append(t); kind.append(k.rawValue); element.append(x)
        var c = count - 1
        while c > 0 {
            let p = (c - 1) / 2
            if !less(c, p) { break }
            swap(c, p); c = p
        }
    }

    mutating func pop() -> (Double, Kind, Int32) {
        let top = (time[0], Kind(rawValue: kind[0])!, element[0])
        let last = count - 1
        swap(0, last)
        time.removeLast(); kind.removeLast(); element.removeLast()
        var p = 0
        while true {
            let l = 2 * p + 1, r = l + 1
            var m = p
            if l < count && less(l, m) { m = l }
            if r < count && less(r, m) { m = r }
            if m == p { break }
            swap(p, m); p = m
        }
        return top
    }

    @inline(__always) mutating func swap(_ i: Int, _ j: Int) {
        time.swapAt(i, j); kind.swapAt(i, j); element.swapAt(i, j)
    }
}
