import Testing

@testable import MemberStore

/// The per-channel table an import prepares identities by answers as the
/// policy does: normaliser, blocked values (the channel's and `*`'s), priority, limit.
@Suite("Identity rules by channel")
struct IdentityChannelRulesTests {
    static let policy = IdentityPolicy(
        keys: ["wechat_unionid", "phone", "email"],
        normalizers: ["phone": .phone(countryCode: "86"), "email": .email, "nick": .lower],
        limits: ["phone": 1, "taobao": 2],
        blocked: ["phone": ["+8613800000000"], "email": ["test@example.com"], "store_card": ["0000"], "*": ["null", "none"]])

    @Test func everyChannelAnswersAsThePolicy() {
        let rules = IdentityChannelRules(Self.policy)
        let channels = ["wechat_unionid", "phone", "email", "nick", "taobao", "store_card", "jd", "*"]
        let values = ["138 0000 0000", "13800138000", " Test@Example.com ", "a@b.cn", "null", "none", "NONE", "0000", "", "  ", "Ab C"]
        for channel in channels {
            let rule = rules[channel]
            #expect(rule.priority == Self.policy.priority(of: channel), "\(channel)")
            #expect(rule.limit == Self.policy.limits[channel], "\(channel)")
            for raw in values {
                let value = rule.normalize(raw)
                #expect(value == Self.policy.normalize(raw, channel: channel), "\(channel) \(raw)")
                #expect(rule.isBlocked(value) == Self.policy.isBlocked(value, channel: channel), "\(channel) \(raw)")
            }
        }
        // A placeholder of one channel is blocked there only; `*` everywhere.
        #expect(rules["phone"].isBlocked("+8613800000000") && !rules["email"].isBlocked("+8613800000000"))
        #expect(rules["jd"].isBlocked("none") && rules["phone"].isBlocked("null"))
    }
}
