/// The channel accounts of one generated person (taobao, jd, WeChat
/// mini-program, store card) and what each carries: its channel's own
/// account id and some of the person's phone (typed four ways; about 2 %
/// type the placeholder `13800000000`), e-mail and WeChat unionid. The
/// truth is in the account ids: `tb123x0` belongs to person 123. Shared by
/// ``IdentityPeople`` (the ONE-ID benchmark) and ``DemoGenerator`` (the
/// demo's people with several accounts).
struct PersonAccounts {
    /// One account: its channel (an index into ``channels``), id and identities.
    struct Account {
        var channel: Int
        var id: String
        var identities: [(channel: String, value: String)]
    }

    /// Channels of the accounts, and the identity channel of each one's own id.
    static let channels = ["taobao", "jd", "wechat_openid", "store_card"]
    /// Account id prefixes by channel.
    static let prefixes = ["tb", "jd", "wx", "st"]
    /// The placeholder phone some people type (blocked by the shipped identity rules).
    static let placeholderPhone = "13800000000"

    /// The person's number (the truth).
    let person: Int
    /// The person's phone, as digits.
    let phone: String
    /// The person's e-mail: a person whose number is 1 more than a multiple of
    /// `familyEvery` (a family) shares the previous person's.
    let email: String
    /// The person's WeChat unionid.
    let unionid: String

    /// The accounts of `person`, whose phone is `phone` (default `139...` + the person's number);
    /// one pair of people in `familyEvery / 2` shares an e-mail.
    init(person: Int, phone: String? = nil, familyEvery: Int = 1_000) {
        self.person = person
        self.phone = phone ?? String(13_900_000_000 + person)
        email = "user\(person % familyEvery == 1 ? person - 1 : person)@mail.example.cn"
        unionid = "o6_\(String(UInt64(person) &* 2_654_435_761 % 1_000_000_007, radix: 36))"
    }

    /// How many accounts a person has: 1 (45 %), 2 (35 %), 3 (15 %) or 4.
    static func count(_ random: inout DemoRandom) -> Int {
        let roll = random.unit()
        return roll < 0.45 ? 1 : roll < 0.80 ? 2 : roll < 0.95 ? 3 : 4
    }

    /// `count` distinct channels, in channel order.
    static func channels(count: Int, _ random: inout DemoRandom) -> [Int] {
        var picked = Array(0..<Self.channels.count)
        picked.shuffle(using: &random)
        return picked.prefix(count).sorted()
    }

    /// The person's account in `channel`, with what that channel knows of them.
    func account(_ channel: Int, _ random: inout DemoRandom) -> Account {
        let id = "\(Self.prefixes[channel])\(person)x\(channel)"
        var identities: [(channel: String, value: String)] = [(Self.channels[channel], id)]
        let typedPhone = random.unit() < 0.02 ? Self.placeholderPhone : Self.format(phone, &random)
        switch channel {
        case 0: if random.unit() < 0.85 { identities.append(("phone", typedPhone)) }
        case 1:
            if random.unit() < 0.75 { identities.append(("phone", typedPhone)) }
            if random.unit() < 0.5 { identities.append(("email", random.unit() < 0.3 ? email.uppercased() : email)) }
        case 2:
            identities.append(("wechat_unionid", unionid))
            if random.unit() < 0.7 { identities.append(("phone", typedPhone)) }
        default:
            identities.append(("phone", typedPhone))
            if random.unit() < 0.3 { identities.append(("email", email)) }
            if random.unit() < 0.4 { identities.append(("wechat_unionid", unionid)) }
        }
        return Account(channel: channel, id: id, identities: identities)
    }

    /// The person an account id was generated for (`tb123x2` -> 123).
    static func person(ofAccount id: String) -> Int? {
        guard id.count > 2, let x = id.lastIndex(of: "x") else { return nil }
        return Int(id[id.index(id.startIndex, offsetBy: 2)..<x])
    }

    /// The phone as people type it: bare, with +86, spaced or dashed.
    static func format(_ phone: String, _ random: inout DemoRandom) -> String {
        spelling(phone, random.below(4))
    }

    /// The phone spelled way `variant` (0 to 3) of ``format(_:_:)``'s.
    static func spelling(_ phone: String, _ variant: Int) -> String {
        let digits = Array(phone)
        switch variant {
        case 0: return phone
        case 1: return "+86 " + phone
        case 2: return String(digits[0..<3]) + " " + String(digits[3..<7]) + " " + String(digits[7...])
        default: return String(digits[0..<3]) + "-" + String(digits[3..<7]) + "-" + String(digits[7...])
        }
    }
}
