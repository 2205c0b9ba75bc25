import InfraGraph
import InfraModel

/// What the events of one sample did, before any cascade: which assets and links are damaged or
/// out, and which dependency rows are present. Reused across samples (no allocation per sample).
public struct SampleDamage: Sendable {
    /// Per asset: 0 intact, 1 damaged (repaired like hazard damage), 2 out (outage, supply
    /// interruption, contamination; no repair needed). Damaged wins over out.
    public var asset: [UInt8]
    /// Per link: 0 intact, 1 damaged, 2 out.
    public var link: [UInt8]
    /// Per dependency row (`Network.dependencies` order): 1 present in this sample, 0 absent.
    public var rowPresent: [UInt8]
    /// Assets with `asset != 0`, in increasing index order.
    public var hitAssets: [Int32]
    /// Links with `link != 0`, in increasing index order.
    public var hitLinks: [Int32]

    // Scratch of `HazardPlan.sample` (not part of the outcome, ignored by `==`).
    /// Log zone factors of the current hazard event (zones of the model, then a 0 "no zone" slot).
    var zoneLogFactor: [Double] = []
    /// Per asset: the attack epoch that picked it (random attacks: distinct picks).
    var attackMark: [UInt32] = []
    var attackEpoch: UInt32 = 0

    public init(assets: Int, links: Int, rows: Int) {
        asset = [UInt8](repeating: 0, count: assets)
        link = [UInt8](repeating: 0, count: links)
        rowPresent = [UInt8](repeating: 1, count: rows)
        hitAssets = []
        hitLinks = []
        hitAssets.reserveCapacity(min(assets, 1 << 16))
        hitLinks.reserveCapacity(min(links, 1 << 16))
    }
}

extension SampleDamage: Equatable {
    /// Equal outcomes: the same `asset`, `link`, `rowPresent`, `hitAssets` and `hitLinks`
    /// (the sampler's scratch is ignored).
    public static func == (x: SampleDamage, y: SampleDamage) -> Bool {
        x.asset == y.asset && x.link == y.link && x.rowPresent == y.rowPresent
            && x.hitAssets == y.hitAssets && x.hitLinks == y.hitLinks
    }
}
