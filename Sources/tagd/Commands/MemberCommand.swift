import ArgumentParser
import Foundation
import MemberStore
import TagEngine

struct MemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member", abstract: "Show a member: attributes, identities and live tags with since-dates.")

    @Argument(help: "The member's external id.") var id: String
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
        guard let member = try store.member(externalID: id) else { throw CLIError("no member with external id \(id)") }
        let tags = try TagRegistry(pool: store.pool).tags(ofMember: member.id)
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
}
