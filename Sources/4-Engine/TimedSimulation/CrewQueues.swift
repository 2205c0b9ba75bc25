/// Per owner with crews: the crews at work and the damaged elements waiting for one, a min-heap
/// by `TimedPlan.repairRank` (docs/specification.md section 5: at most c repairs of an owner at once).
/// - Complexity: O(log w) per push and pop, w the owner's waiting elements; reset O(owners).
struct CrewQueues {
    /// Per owner: crews busy.
    var busy: [Int32]
    /// Per owner: the waiting elements (a min-heap by repair rank).
    var waiting: [[Int32]]

    init(owners: Int) {
        busy = [Int32](repeating: 0, count: owners)
        waiting = [[Int32]](repeating: [], count: owners)
    }

    /// Every crew free, nobody waiting (a new sample); keeps the heaps' capacity.
    mutating func reset() {
        for o in 0..<busy.count { busy[o] = 0; waiting[o].removeAll(keepingCapacity: true) }
    }

    /// Element x of owner o waits for a crew.
    mutating func push(_ o: Int, _ x: Int32, rank: [Int32]) {
        waiting[o].append(x)
        var c = waiting[o].count - 1
        while c > 0 {
            let p = (c - 1) / 2
            if rank[Int(waiting[o][c])] >= rank[Int(waiting[o][p])] { break }
            waiting[o].swapAt(c, p); c = p
        }
    }

    /// The waiting element of owner o with the lowest rank, taken off the heap.
    mutating func pop(_ o: Int, rank: [Int32]) -> Int32 {
        let top = waiting[o][0]
        waiting[o].swapAt(0, waiting[o].count - 1)
        waiting[o].removeLast()
        var p = 0
        let n = waiting[o].count
        while true {
            let l = 2 * p + 1, r = l + 1
            var m = p
            if l < n && rank[Int(waiting[o][l])] < rank[Int(waiting[o][m])] { m = l }
            if r < n && rank[Int(waiting[o][r])] < rank[Int(waiting[o][m])] { m = r }
            if m == p { break }
            waiting[o].swapAt(p, m); p = m
        }
        return top
    }

    /// Free crews take the next waiting elements at `now`; each repair's end goes to `queue`.
    mutating func dispatch(_ now: Double, crews: [Int32], rank: [Int32], repairNeed: [Double], queue: inout ChangeQueue) {
        for o in 0..<busy.count where !waiting[o].isEmpty {
            while busy[o] < crews[o] && !waiting[o].isEmpty {
                let x = pop(o, rank: rank)
                busy[o] += 1
                queue.push(now + repairNeed[Int(x)], .repairDone, x)
            }
        }
    }
}
