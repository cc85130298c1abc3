import Foundation
import GRDB
import TagEngine

/// A tag or segment page's model.
struct TagView {
    struct RunRow {
        var id: Int64
        var asOf: String
        var trigger: String
        var covered: String
        var gained: String
        var lost: String
        var changed: String
    }
    struct LegendItem {
        var index: Int
        var label: String
    }
    struct Overlap {
        var name: String
        var both: String
        var share: String
        var lift: String
    }
    struct HistoryItem {
        var action: String
        var actor: String
        var at: String
        var version: String?
        var reason: String?
    }
    struct SampleMember {
        var id: String
        var path: String
        var since: String
    }
    struct PluginCounts {
        var plugin: String
        var pending: Int
        var delivered: Int
        var dead: Int
    }
    struct Segment {
        var name: String
        var members: [SampleMember]
        var plugins: [PluginCounts]
    }

    var name: String
    var title: String
    var category: String
    var description: String?
    var state: String
    var orphaned: Bool
    var kindLabel: String
    var owner: String
    var refresh: String
    var nextDue: String
    var lastRun: String
    var file: String
    var liveVersion: String?
    var pendingVersion: String?
    var holders: Int
    var holdersText: String
    var membersText: String
    var share: String
    var hasValues: Bool
    var distribution: String
    var moreValues: Int?
    var hasRuns: Bool
    var trend: String
    var legend: [LegendItem]
    var runs: [RunRow]
    var reads: [String]
    var readBy: [String]
    var segments: [String]
    var hasOverlaps: Bool
    var overlaps: [Overlap]
    var overlapNote: String
    var hasWarnings: Bool
    var warnings: [String]
    var history: [HistoryItem]
    var hasSource: Bool
    var sourceLines: [String]
    var segment: Segment?

    /// What the page reads from the store, gathered by ``CatalogSite``.
    struct Inputs {
        var overview: TagOverview
        /// The live version, if any.
        var live: TagVersionRecord?
        var values: [LiveCounts.Value]
        var members: Int
        var history: TagHistory
        var row: TagRow
        var tags: [String: TagRow]
        var summary: RuleSummary?
        var trend: [RunTrends.Point]
        var related: [TagOverlaps.Related]
        var overlaps: TagOverlaps.Snapshot?
        var warnings: [String]
        var segment: Segment?
        var now: Date
    }

    static func build(_ inputs: Inputs) -> TagView {
        let overview = inputs.overview, live = inputs.live, values = inputs.values, members = inputs.members
        let holders = values.reduce(0) { $0 + $1.count }
        let shownVersion = live ?? inputs.history.versions.last
        let bars = values.prefix(20).map { (label: $0.value, count: $0.count) }
        let topValues = Array(values.prefix(5).map(\.value))
        let namesByID = Dictionary(inputs.tags.values.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let readers = inputs.tags.values.filter { row in
            row.name != overview.name && row.liveSource.map { RuleDependencies.scan($0).contains(overview.name) } == true
        }
        let points = inputs.trend
        let trend = TrendChart(
            runs: points.map { ($0.runID, $0.asOf) }, coverage: points.map(\.covered),
            series: topValues.map { value in TrendChart.Series(label: value, counts: points.map { $0.values[value] ?? 0 }) })
        let kind = live?.valueKind ?? inputs.summary?.kind.rawValue ?? shownVersion?.valueKind ?? "?"
        return TagView(
            name: overview.name, title: overview.title ?? overview.name, category: overview.category ?? "",
            description: inputs.summary?.description.flatMap { $0.isEmpty ? nil : $0 },
            state: overview.state, orphaned: overview.orphaned,
            kindLabel: inputs.row.kind == "segment" ? "segment" : "\(kind) tag",
            owner: shownVersion?.owner ?? "—", refresh: overview.refresh ?? "—",
            nextDue: nextDue(refresh: overview.refresh, lastRun: overview.lastRun, activeSince: live?.decidedAt, now: inputs.now),
            lastRun: overview.lastRun.map { "run \($0.id), \($0.trigger), as of \(Formatting.time($0.asOf)) · \($0.status)" } ?? "never",
            file: overview.file ?? "—", liveVersion: overview.liveVersion, pendingVersion: overview.pendingVersion,
            holders: holders, holdersText: HTMLText.count(holders), membersText: HTMLText.count(members),
            share: members == 0 ? "—" : HTMLText.percent(Double(holders) / Double(members)),
            hasValues: !values.isEmpty, distribution: BarChart(bars: bars, title: "members per value of \(overview.name)").svg(),
            moreValues: values.count > 20 ? values.count - 20 : nil,
            hasRuns: !points.isEmpty, trend: trend.svg(),
            legend: topValues.enumerated().map { LegendItem(index: $0.offset, label: $0.element) },
            runs: points.reversed().prefix(12).map { point in
                RunRow(
                    id: point.runID, asOf: Formatting.short(point.asOf), trigger: point.trigger, covered: HTMLText.count(point.covered),
                    gained: HTMLText.count(point.gained), lost: HTMLText.count(point.lost), changed: HTMLText.count(point.changed))
            },
            reads: inputs.row.liveSource.map(RuleDependencies.scan) ?? inputs.summary?.dependencies ?? [],
            readBy: readers.filter { $0.kind != "segment" }.map(\.name).sorted(),
            segments: readers.filter { $0.kind == "segment" }.map(\.name).sorted(),
            hasOverlaps: !inputs.related.isEmpty,
            overlaps: inputs.related.compactMap { related in
                namesByID[related.tagID].map {
                    Overlap(
                        name: $0, both: HTMLText.count(related.both), share: HTMLText.percent(related.share),
                        lift: String(format: "%.2f", related.lift))
                }
            },
            overlapNote: inputs.overlaps.map {
                "Computed from all live values at \(Formatting.time($0.computedAt)) in \(String(format: "%.2f", $0.seconds)) s."
            } ?? "The overlap of live values is being computed; reload in a moment.",
            hasWarnings: !inputs.warnings.isEmpty, warnings: inputs.warnings,
            history: inputs.history.transitions.suffix(12).reversed().map { entry in
                HistoryItem(
                    action: entry.action, actor: entry.actor, at: Formatting.time(entry.at), version: entry.versionHash.map { String($0.prefix(12)) },
                    reason: entry.reason)
            },
            hasSource: live != nil,
            sourceLines: (live?.source ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
            segment: inputs.segment)
    }

    /// When the next refresh slot is, from the refresh cycle and the last run.
    static func nextDue(refresh: String?, lastRun: TagOverview.RunSummary?, activeSince: Int64?, now: Date) -> String {
        guard let refresh, let schedule = try? RefreshSchedule(parsing: refresh) else { return "—" }
        if schedule.isRealtime { return "realtime: on every ingest" }
        let status = schedule.status(
            lastRun: lastRun.map { Date(timeIntervalSince1970: TimeInterval($0.asOf)) },
            activeSince: Date(timeIntervalSince1970: TimeInterval(activeSince ?? Int64(now.timeIntervalSince1970))), now: now)
        if status.isDue { return "due now" + (status.isStale ? " (stale: \(status.missedSlots) slots missed)" : "") }
        return status.next.map(Formatting.time) ?? "—"
    }

    /// A segment's sample members and its reach plugins' outbox counts.
    static func segment(name: String, tagID: Int64, reach: [String], in db: Database) throws -> Segment {
        let members = try Row.fetchAll(db, sql: """
            SELECT m.external_id, mt.since FROM member_tags mt JOIN members m ON m.id = mt.member_id
            WHERE mt.tag_id = ? ORDER BY mt.member_id LIMIT 20
            """, arguments: [tagID]
        ).map { row -> SampleMember in
            let id: String = row[0]
            return SampleMember(id: id, path: MemberView.path(id), since: Formatting.time(row[1] as Int64))
        }
        var counts: [String: PluginCounts] = [:]
        for plugin in reach { counts[plugin] = PluginCounts(plugin: plugin, pending: 0, delivered: 0, dead: 0) }
        for row in try Row.fetchAll(
            db, sql: "SELECT plugin, status, count(*) FROM outbox WHERE segment = ? GROUP BY plugin, status", arguments: [name])
        {
            let plugin: String = row[0]
            let status: String = row[1]
            let n: Int = row[2]
            var entry = counts[plugin] ?? PluginCounts(plugin: plugin, pending: 0, delivered: 0, dead: 0)
            switch status {
            case "delivered": entry.delivered += n
            case "dead": entry.dead += n
            default: entry.pending += n
            }
            counts[plugin] = entry
        }
        return Segment(name: name, members: members, plugins: counts.values.sorted { $0.plugin < $1.plugin })
    }
}
