/// What the events have done to each element (asset a as a, link l as assetCount + l) at the
/// current moment of one timed sample: damaged, outs in force, when the damage starts and how
/// long its repair takes, and the hit arrays the cascade reads. Reset per sample in
/// O(elements the previous sample touched); sized once per thread.
struct SampleState {
    let assetCount: Int
    /// Per asset and per link: 1 when damaged or out now (what the cascade reads).
    var assetHit: [UInt8], linkHit: [UInt8]
    /// Links with `linkHit` 1.
    var hitLinkCount = 0
    /// Per element: damaged (not yet repaired), number of outs in force, damage start, repair hours.
    var damaged: [UInt8], outs: [Int32], damageStart: [Double], repairNeed: [Double]
    /// Elements an event of this sample acts on, in first-touch order; the links among them.
    var touched: [Int32] = [], touchedLinks: [Int32] = []
    /// Per element: the sample (epoch) that last touched it.
    var touchMark: [Int32]
    var touchEpoch: Int32 = 0

    init(assets: Int, links: Int) {
        assetCount = assets
        assetHit = [UInt8](repeating: 0, count: assets)
        linkHit = [UInt8](repeating: 0, count: links)
        let nE = assets + links
        damaged = [UInt8](repeating: 0, count: nE)
        outs = [Int32](repeating: 0, count: nE)
        damageStart = [Double](repeating: .infinity, count: nE)
        repairNeed = [Double](repeating: 0, count: nE)
        touchMark = [Int32](repeating: 0, count: nE)
    }

    /// Forgets what the previous sample touched. - Complexity: O(elements it touched).
    mutating func reset() {
        for x in touched {
            let xi = Int(x)
            damaged[xi] = 0; outs[xi] = 0; damageStart[xi] = .infinity; repairNeed[xi] = 0
            setHit(xi, false)
        }
        touched.removeAll(keepingCapacity: true)
        touchedLinks.removeAll(keepingCapacity: true)
        touchEpoch &+= 1
        if touchEpoch == Int32.max { for k in touchMark.indices { touchMark[k] = 0 }; touchEpoch = 1 }
    }

    /// Records that an event of this sample acts on element x (once per sample).
    @inline(__always) mutating func touch(_ x: Int) {
        guard touchMark[x] != touchEpoch else { return }
        touchMark[x] = touchEpoch; touched.append(Int32(x))
        if x >= assetCount { touchedLinks.append(Int32(x - assetCount)) }
    }

    /// Sets whether element x is hit (damaged or out) now.
    @inline(__always) mutating func setHit(_ x: Int, _ on: Bool) {
        if x < assetCount { assetHit[x] = on ? 1 : 0; return }
        let l = x - assetCount
        let v: UInt8 = on ? 1 : 0
        if linkHit[l] != v { hitLinkCount += on ? 1 : -1; linkHit[l] = v }
    }
}
