import ArgumentParser
import Foundation
import MemberStore
import TagEngine

struct MemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member", abstract: "Show a member: attributes, identities and live tags with since-dates.")

    @Argument(help: "The member's external id.") var id: String
    @Option(help: "Explain one tag: its value, the run that set it, the rule version and its approver.") var why: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: StoreOptions

    struct Profile: Encodable {
        var externalID: String
        var attributes: [String: String]
        var identities: [String: String]
        var tags: [MemberTagValue]
    }

    func run() throws {
        let store = try options.open()
        guard var member = try store.member(externalID: id) else { throw CLIError("no member with external id \(id)") }
        if let survivor = member.mergedInto, let live = try store.member(externalID: survivor) {
            if !json { print("member \(member.externalID) was merged into \(survivor) (tagd identity history \(survivor))") }
            member = live
        }
        if let why { return try explain(why, member: member, registry: TagRegistry(pool: store.pool)) }
        let tags = try TagRegistry(pool: store.pool).tags(ofMember: member.id)
        TagReads.record(tags.map(\.tag), via: "cli", pool: store.pool)
        let profile = Profile(
            externalID: member.externalID, attributes: member.displayAttributes, identities: member.identityMap, tags: tags)
        if json { return try Console.json(profile) }
        print("member \(member.externalID)")
        for (key, value) in profile.attributes.sorted(by: { $0.key < $1.key }) { print("  \(key): \(value)") }
        for (channel, value) in profile.identities.sorted(by: { $0.key < $1.key }) { print("  identity \(channel): \(value)") }
        var table = TextTable("TAG", "VALUE", "SINCE")
        for tag in tags { table.add(tag.tag, tag.value, Console.date(tag.since)) }
        print(tags.isEmpty ? "no live tags" : table.rendered)
    }

    private func explain(_ tag: String, member: MemberRecord, registry: TagRegistry) throws {
        let trace = try registry.trace(memberID: member.id, externalID: member.externalID, tag: tag)
        TagReads.record([tag], via: "cli", pool: registry.pool)
        if json { return try Console.json(trace) }
        guard let value = trace.value else {
            print("member \(member.externalID) has no live value of \(tag)")
            if let last = trace.lastChange { print("last change: \(last)") }
            return
        }
        print("member \(member.externalID): \(tag) = \(value) since \(Console.date(trace.since))")
        print("  set by run \(trace.runID.map(String.init) ?? "-") (\(trace.runTrigger ?? "-"), as of \(Console.date(trace.runAsOf)))")
        print("  rule version \(trace.versionHash.map { String($0.prefix(12)) } ?? "-") from \(trace.versionFile ?? "-")")
        print("  approved by \(trace.approvedBy ?? "-") at \(Console.date(trace.approvedAt))")
        if let last = trace.lastChange { print("  last change: \(last)") }
    }
}
