/// The live realtime versions and the statistics of their last full run.
struct RealtimeSnapshot: @unchecked Sendable {
    var generation: Int
    var versionIDs: [Int64]
    var versions: [(tag: TagRecord, version: TagVersionRecord)]
    var stats: [String: PopulationStats]

    static let empty = RealtimeSnapshot(generation: 0, versionIDs: [-1], versions: [], stats: [:])
}
