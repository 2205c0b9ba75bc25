/// The valid range of every numeric input, by what it means (docs/formats.md "Valid ranges"): a value outside is exit 2 naming the file, line and field, never a crash or an
/// allocation the machine cannot make later on.
public enum Bounds {
    /// People on one asset: more than live on Earth is a data error.
    public static let population = 1e10
    /// Hours on the time axis (horizon, steps, start times): 10 years.
    public static let hours = 87_600.0
    /// Hours a state lasts (repairs, backups, event durations): 10^9 h (114,000 years) stands for
    /// "never" — reference cases use it for the static limit of timed mode; nothing is allocated
    /// per hour, so only the time axis needs the tighter bound.
    public static let duration = 1e9
    /// Kilometres (lengths, radii, decay, coupling reach): the Equator.
    public static let km = 40_075.0
    /// Lognormal dispersions (beta, event and zone sigma): 10 spans e^±10, far past any curve.
    public static let dispersion = 10.0
    /// Events per year: one a day.
    public static let annualRate = 365.0
    /// Sector weights and value factors.
    public static let weight = 1e6
    /// Restoration priority.
    public static let priority = 1e6
    /// Money (costs, budget, value per people-hour), in the scenario's currency.
    public static let money = 1e15
    /// Years of an option's lifetime.
    public static let years = 1000.0
    /// Multiplying factors (median_factor, faster_repair factor).
    public static let factor = 1e6
    /// Hazard intensities in their own units (m, m/s, °C, days): above any physical value.
    public static let intensity = 1e6
    /// Crews per owner, added crews and attack counts.
    public static let crews = 1_000_000
    /// Monte Carlo samples in one run (shards split larger studies).
    public static let samples = 100_000_000
    /// Shards of one run (`--shard i/n`, `shards` of shard.json): a merge checks every index.
    public static let shards = 100_000
    /// Worker threads.
    public static let threads = 4096
    /// Timeline steps in timed mode (horizon_hours / step_hours).
    public static let timelineSteps = 100_000.0
}
