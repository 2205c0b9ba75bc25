/// Every hit of one sample with the event that made it: what timed mode needs on top of
/// `SampleDamage` (each event has its own start time and duration). Filled by
/// `HazardPlan.sample(_:seed:stream:into:log:)`; static sampling takes no log and records nothing.
///
/// Reused across samples: `sample` empties it first and keeps its capacity (no allocation per
/// sample once the capacity suffices). - Complexity: O(1) per hit.
public struct EventLog: Sendable, Equatable {
    /// Per logged hit: the event's index in the scenario.
    public private(set) var event: [Int32] = []
    /// Per logged hit: the element, asset a as a and link l as −(l+1).
    public private(set) var element: [Int32] = []
    /// Per logged hit: the state, 1 damaged or 2 out. In event order, then draw order within an event.
    public private(set) var state: [UInt8] = []

    public init() {}

    /// Number of logged hits.
    public var count: Int { event.count }
}

/// Where `HazardPlan.sample` records each hit: an `EventLog`, or nothing (`NoEventLog`).
/// Generic, so that static sampling pays nothing for the log.
protocol HitRecorder {
    /// Forgets the previous sample's hits.
    mutating func begin()
    /// Records that `event` hit `element` (asset a as a, link l as −(l+1)) with `state`.
    mutating func record(event: Int32, element: Int32, state: UInt8)
}

/// Records nothing: static sampling.
struct NoEventLog: HitRecorder {
    /// Not zero-sized on purpose: every empty value shares one address, and ThreadSanitizer then
    /// reports the `inout` accesses of different threads' recorders as a race.
    var unused: UInt8 = 0
    @inline(__always) mutating func begin() {}
    @inline(__always) mutating func record(event: Int32, element: Int32, state: UInt8) {}
}

extension EventLog: HitRecorder {
    mutating func begin() {
        event.removeAll(keepingCapacity: true); element.removeAll(keepingCapacity: true); state.removeAll(keepingCapacity: true)
    }

    @inline(__always) mutating func record(event e: Int32, element x: Int32, state s: UInt8) {
        event.append(e); element.append(x); state.append(s)
    }
}
