/// The columns of each CSV result file, declared once: the writer (`ResultText`) takes its
/// header from here and the reader of `kaskada report` (`ResultData.parse`) its required
/// columns, so the two cannot drift (docs/specification.md section 8; docs/outputs.md).
public struct CSVSchema: Sendable {
    /// The file's name in a result folder.
    public let file: String
    /// Every column the writer writes, in order.
    public let columns: [String]
    /// The columns a reader needs (the stable names of docs/specification.md section 8); the others are
    /// optional when reading, so files from older versions and other tools still read.
    public let required: [String]

    /// The header line, with its line end.
    public var header: String { columns.joined(separator: ",") + "\n" }
}

/// The result folder's CSV files.
public enum ResultSchema {
    public static let assets = CSVSchema(
        file: "assets.csv",
        columns: [
            "id", "sector", "kind", "owner", "zone", "population", "p_damage", "p_outage", "n1_impact", "rrw",
            "mean_outage_hours", "rank", "p90_outage_hours", "x", "y",
        ],
        required: [
            "id", "sector", "kind", "owner", "zone", "population", "p_damage", "p_outage", "n1_impact", "rrw",
            "mean_outage_hours", "rank",
        ])
    public static let dependencies = CSVSchema(
        file: "dependencies.csv",
        columns: ["consumer", "provider", "group", "type", "p_carried", "loss_following", "consumer_owner", "provider_owner"],
        required: ["consumer", "provider", "group", "type", "p_carried", "loss_following"])
    public static let coordination = CSVSchema(
        file: "coordination.csv",
        columns: [
            "owner", "depends_on_owner", "expected_loss", "top_dependencies", "provider_median_outage_hours",
            "backup_hours_to_ride_through", "median_outage_censored",
        ],
        required: [
            "owner", "depends_on_owner", "expected_loss", "top_dependencies", "provider_median_outage_hours",
            "backup_hours_to_ride_through",
        ])
    public static let zones = CSVSchema(
        file: "zones.csv",
        columns: ["zone", "sector", "p_loss", "mean_duration_hours", "people_affected", "warning"],
        required: ["zone", "sector", "p_loss", "mean_duration_hours", "people_affected", "warning"])
    public static let timeline = CSVSchema(
        file: "timeline.csv",
        columns: ["hours", "sector", "mean", "p05", "p95"],
        required: ["hours", "sector", "mean", "p05", "p95"])
    public static let mitigations = CSVSchema(
        file: "mitigations.csv",
        columns: [
            "option", "cost", "loss_reduction", "ci95_low", "ci95_high", "benefit_cost", "in_portfolio",
            "benefit_cost_unit", "p_beats", "not_evaluated", "owners",
        ],
        required: ["option", "cost", "loss_reduction", "ci95_low", "ci95_high", "benefit_cost", "in_portfolio"])

    /// Every CSV schema.
    public static let all = [assets, dependencies, coordination, zones, timeline, mitigations]
}
