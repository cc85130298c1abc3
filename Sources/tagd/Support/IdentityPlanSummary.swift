import TagEngine

/// The printable plan of identity rules.
struct IdentityPlanSummary: Encodable {
    struct Cluster: Encodable {
        var survivor: String
        var size: Int
        var sample: [String]
    }

    var members: Int
    var merges: Int
    var membersAfter: Int
    var clusters: Int
    var largest: [Cluster]
    var candidates: Int
    var blockedValues: Int
    /// How each live tag and segment would change (a run on a copy of the store).
    var tags: [IdentityPlan.TagImpact] = []

    init(_ plan: IdentityPlan) {
        members = plan.members
        merges = plan.merges
        membersAfter = plan.members - plan.merges
        clusters = plan.clusters.count
        largest = plan.clusters.prefix(5).map { Cluster(survivor: $0.survivor, size: $0.members.count, sample: $0.sample) }
        candidates = plan.candidates.count
        blockedValues = plan.blocked
    }

    var text: String {
        var lines = [
            "\(Console.count(members)) members; \(Console.count(merges)) would be merged into others in \(Console.count(clusters)) clusters -> \(Console.count(membersAfter)) members",
            "\(Console.count(candidates)) pairs would be held as merge candidates; \(Console.count(blockedValues)) blocked identity values ignored",
        ]
        if !largest.isEmpty {
            var table = TextTable("LARGEST CLUSTERS", "SURVIVOR", "MEMBERS (sample)")
            for c in largest { table.add(String(c.size), c.survivor, c.sample.joined(separator: ", ")) }
            lines.append(table.rendered)
        }
        if !tags.isEmpty {
            var table = TextTable("TAG", "HOLDERS NOW", "AFTER", "GAINED", "LOST", "CHANGED")
            for t in tags {
                table.add(t.tag, Console.count(t.before), Console.count(t.after), Console.count(t.gained), Console.count(t.lost), Console.count(t.changed))
            }
            lines.append(table.rendered)
        }
        return lines.joined(separator: "\n")
    }
}
