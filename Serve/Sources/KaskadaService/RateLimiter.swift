import Foundation
import Synchronization

/// Token buckets, one per key (a token's digest): `rate` requests per second, bursts of `burst`.
public final class RateLimiter: Sendable {
    struct Bucket { var tokens: Double; var last: ContinuousClock.Instant }
    let rate: Double
    let burst: Double
    let buckets = Mutex<[String: Bucket]>([:])

    public init(rate: Double, burst: Double) {
        self.rate = rate; self.burst = max(1, burst)
    }

    /// Takes one token for `key`: nil when allowed, else the seconds to wait before retrying.
    public func take(_ key: String, now: ContinuousClock.Instant = .now) -> Double? {
        buckets.withLock { b in
            var bucket = b[key] ?? Bucket(tokens: burst, last: now)
            let elapsed = now - bucket.last
            let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            bucket.tokens = min(burst, bucket.tokens + secs * rate)
            bucket.last = now
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                b[key] = bucket
                return nil
            }
            b[key] = bucket
            return (1 - bucket.tokens) / rate
        }
    }
}
