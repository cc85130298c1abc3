/// Every member's feature values for one run, column by column.
///
/// Members are identified by their index in ``memberIDs`` (ascending store
/// ids). Memory is about 8 bytes per member per feature, so a million members
/// with ten features take ~80 MB; member records themselves are streamed.
public struct FeatureTable: Sendable {
    /// Store ids of all members, ascending.
    public internal(set) var memberIDs: ContiguousArray<Int64>
    /// The columns, by feature.
    public internal(set) var columns: [FeatureSpec: FeatureColumn]
    /// Why a feature's values are unusable (a custom column holding text
    /// where a number was aggregated), naming the first such row.
    public internal(set) var problems: [FeatureSpec: String] = [:]

    /// The number of members.
    public var count: Int { memberIDs.count }

    /// The column of `spec` (it must have been computed).
    public func column(_ spec: FeatureSpec) -> FeatureColumn {
        columns[spec] ?? FeatureColumn(spec: spec, count: memberIDs.count)
    }
}
