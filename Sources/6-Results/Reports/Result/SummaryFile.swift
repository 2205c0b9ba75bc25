import ResultFiles

/// The schema of `summary.json` (docs/outputs.md), keys in file order; written by
/// `OrderedJSONEncoder` from a result's `SummaryData`.
struct SummaryFile: Encodable {
    var schemaVersion: Int
    var scenario: String
    var mode: String
    var samples: Int
    /// The seed's digits (a seed may exceed Int64).
    var seed: RawJSONNumber
    var stoppedEarly: Bool
    var lossUnit: String
    var model: String
    /// The headline loss's weight per sector, by sector name.
    var weights: JSONMembers<Double>
    var modelSHA256: String
    var annualRate: Double?
    /// Present (null when not finite) exactly when `annual_rate` is.
    var expectedAnnualLoss: JSONNullable?
    var portfolio: PortfolioFile?
    var coordinates: String
    var horizonHours: Double?
    var stepHours: Double?
    var metrics: JSONMembers<MetricFile>
    var exceedance: [ExceedancePoint]

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case scenario, mode, samples, seed
        case stoppedEarly = "stopped_early"
        case lossUnit = "loss_unit"
        case model, weights
        case modelSHA256 = "model_sha256"
        case annualRate = "annual_rate"
        case expectedAnnualLoss = "expected_annual_loss"
        case portfolio, coordinates
        case horizonHours = "horizon_hours"
        case stepHours = "step_hours"
        case metrics, exceedance
    }

    init(_ s: SummaryData) {
        schemaVersion = s.schemaVersion
        scenario = s.scenario
        mode = s.mode
        samples = s.samples
        seed = RawJSONNumber(s.seed)
        stoppedEarly = s.stoppedEarly
        lossUnit = s.lossUnit
        model = s.model
        weights = JSONMembers(s.weights.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        modelSHA256 = s.modelSHA256
        annualRate = s.annualRate
        expectedAnnualLoss = s.annualRate == nil ? nil : JSONNullable(s.expectedAnnualLoss)
        portfolio = s.portfolio.map(PortfolioFile.init)
        coordinates = s.coordinates
        horizonHours = s.horizonHours
        stepHours = s.stepHours
        metrics = JSONMembers(s.metricNames.compactMap { name in s.metrics[name].map { (name, MetricFile(stats: $0)) } })
        exceedance = s.exceedance.map { ExceedancePoint(loss: $0.loss, probability: $0.probability) }
    }

    /// `portfolio`: the options, search method, cost and joint loss reduction with its CI.
    struct PortfolioFile: Encodable {
        var options: [String]
        var method: String
        var cost, lossReduction, ci95Low, ci95High: Double?

        init(_ p: PortfolioData) {
            options = p.options; method = p.method; cost = p.cost
            lossReduction = p.lossReduction; ci95Low = p.ci95Low; ci95High = p.ci95High
        }

        enum CodingKeys: String, CodingKey {
            case options, method, cost
            case lossReduction = "loss_reduction"
            case ci95Low = "ci95_low"
            case ci95High = "ci95_high"
        }

        /// Every figure written, null when absent.
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(options, forKey: .options)
            try c.encode(method, forKey: .method)
            try c.encode(JSONNullable(cost), forKey: .cost)
            try c.encode(JSONNullable(lossReduction), forKey: .lossReduction)
            try c.encode(JSONNullable(ci95Low), forKey: .ci95Low)
            try c.encode(JSONNullable(ci95High), forKey: .ci95High)
        }
    }

    /// One metric: the nine statistics (null when absent), then `censored` and
    /// `restored_fraction` when the metric has them.
    struct MetricFile: Encodable {
        var stats: MetricStats

        enum CodingKeys: String, CodingKey {
            case mean, std
            case ci95Low = "ci95_low"
            case ci95High = "ci95_high"
            case p50, p90, p95, p99, cvar95
            case censored
            case restoredFraction = "restored_fraction"
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            let m = stats
            let values: [(CodingKeys, Double?)] = [
                (.mean, m.mean), (.std, m.std), (.ci95Low, m.ci95Low), (.ci95High, m.ci95High),
                (.p50, m.p50), (.p90, m.p90), (.p95, m.p95), (.p99, m.p99), (.cvar95, m.cvar95),
            ]
            for (key, x) in values { try c.encode(JSONNullable(x), forKey: key) }
            try c.encodeIfPresent(m.censored, forKey: .censored)
            try c.encodeIfPresent(m.restoredFraction, forKey: .restoredFraction)
        }
    }

    /// A point of the exceedance curve of `loss`.
    struct ExceedancePoint: Encodable {
        var loss: Double
        var probability: Double
    }
}

/// A number that is written as `null` when absent.
struct JSONNullable: Encodable {
    var value: Double?
    init(_ value: Double?) { self.value = value }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let value { try c.encode(value) } else { try c.encodeNil() }
    }
}
