import Foundation
import GRDB
import MemberStore
import TagEngine

/// A member page's model: attributes, identities, live tags, timeline.
struct MemberView {
    struct Pair {
        var key: String
        var value: String
    }
    struct Tag {
        var tag: String
        var value: String
        var since: String
    }
    struct Change {
        var at: String
        var tag: String
        var change: String
        var old: String
        var new: String
        var run: String
    }

    var id: String
    var attributes: [Pair]
    var identities: [Pair]
    var tags: [Tag]
    var timeline: [Change]

    /// The page path of member `id`: `/members/` and the id, percent-encoded.
    static func path(_ id: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return id.addingPercentEncoding(withAllowedCharacters: allowed) ?? id
    }

    static func build(_ member: MemberRecord, tags: [MemberTagValue], in db: Database) throws -> MemberView {
        var attributes: [Pair] = []
        if let channel = member.channel { attributes.append(Pair(key: "channel", value: channel)) }
        if let registered = member.registeredAt { attributes.append(Pair(key: "registered_at", value: Formatting.time(registered))) }
        if let gender = member.gender { attributes.append(Pair(key: "gender", value: gender)) }
        if let region = member.region { attributes.append(Pair(key: "region", value: region)) }
        if let birthday = member.birthday { attributes.append(Pair(key: "birthday", value: birthday)) }
        if let level = member.level { attributes.append(Pair(key: "level", value: String(level))) }
        for (key, value) in member.attrs.sorted(by: { $0.key < $1.key }) {
            attributes.append(Pair(key: key, value: Self.text(value)))
        }
        let timeline = try MemberHistory.entries(memberID: member.id, limit: 200, in: db).map { entry in
            Change(
                at: Formatting.short(entry.at), tag: entry.tag, change: entry.change, old: entry.old ?? "—", new: entry.new ?? "—",
                run: entry.runID.map { "run \($0)" } ?? entry.reason ?? "")
        }
        return MemberView(
            id: member.externalID, attributes: attributes,
            identities: member.identities.sorted { $0.key < $1.key }.map { Pair(key: $0.key, value: $0.value) },
            tags: tags.map { Tag(tag: $0.tag, value: $0.value, since: Formatting.short($0.since)) }, timeline: timeline)
    }

    /// A JSON attribute as text.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        default: value.jsonString
        }
    }
}
