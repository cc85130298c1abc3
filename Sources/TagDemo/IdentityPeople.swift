import Foundation

/// Generates people with 1 to 4 channel accounts each (taobao, jd, wechat,
/// store card) and the known truth of which accounts are whose, for the
/// ONE-ID benchmark and tests. Accounts carry what their channel knows:
/// the channel's own account id, and some of the person's phone (typed in
/// several formats), e-mail and WeChat unionid (some accounts share
/// nothing with the person's others: no rule can link them). Built in: about 2 % of
/// accounts type a placeholder phone (`13800000000`, blocked by the
/// shipped identity rules), and one pair of people in 500 share an e-mail
/// (a family), so resolution cannot be perfect.
///
/// Files are NDJSON members records: `accounts.ndjson` names each account
/// only by identities; `accounts-by-id.ndjson` gives the same records a
/// `member` external id each (the import without resolution); and
/// `orders.ndjson` has one order per account, naming the account by its
/// channel id.
public struct IdentityPeople: Sendable {
    /// How many people.
    public var people: Int
    /// The seed (same seed, same files).
    public var seed: UInt64
    /// Orders' reference time (epoch seconds): orders fall in the year before it.
    public var asOf: Int64

    /// What was written.
    public struct Output: Sendable {
        /// Accounts (records in each members file).
        public var accounts = 0
        /// Orders written.
        public var orders = 0
        /// Accounts per person, for the truth: `person[i]` owns account `i`.
        public var person: [Int32] = []
    }

    /// Channels of the accounts, and the identity channel of each one's own id.
    public static let channels = ["taobao", "jd", "wechat_openid", "store_card"]

    /// A generator.
    public init(people: Int, seed: UInt64 = 42, asOf: Int64) {
        self.people = people
        self.seed = seed
        self.asOf = asOf
    }

    /// The person an account id was generated for (`tb123x2` -> 123): the truth.
    public static func person(ofAccount id: String) -> Int? {
        guard let x = id.lastIndex(of: "x") else { return nil }
        return Int(id[id.index(id.startIndex, offsetBy: 2)..<x])
    }

    /// Writes the three files into `directory`; `progress` gets people done.
    public func write(into directory: URL, progress: ((Int) -> Void)? = nil) throws -> Output {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let resolved = try LineFile(directory.appendingPathComponent("accounts.ndjson"))
        let byID = try LineFile(directory.appendingPathComponent("accounts-by-id.ndjson"))
        let orders = try LineFile(directory.appendingPathComponent("orders.ndjson"))
        var output = Output()
        output.person.reserveCapacity(people * 2)
        let prefixes = ["tb", "jd", "wx", "st"]
        for person in 0..<people {
            var random = DemoRandom(seed: seed, stream: UInt64(person))
            // A family: every 500th pair shares the first one's e-mail.
            let emailOwner = person % 1_000 == 1 ? person - 1 : person
            let phone = String(13_900_000_000 + person)
            let email = "user\(emailOwner)@mail.example.cn"
            let unionid = "o6_\(String(UInt64(person) &* 2_654_435_761 % 1_000_000_007, radix: 36))"
            let roll = random.unit()
            let count = roll < 0.45 ? 1 : roll < 0.80 ? 2 : roll < 0.95 ? 3 : 4
            var picked = Array(0..<4)
            picked.shuffle(using: &random)
            for channel in picked.prefix(count).sorted() {
                let account = "\(prefixes[channel])\(person)x\(channel)"
                var identities: [(String, String)] = [(Self.channels[channel], account)]
                let typedPhone = random.unit() < 0.02 ? "13800000000" : Self.format(phone, &random)
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
                let object = identities.map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",")
                let registered = asOf - 86_400 * Int64(30 + random.below(2_000))
                resolved.append("{\"identities\":{\(object)},\"registered_at\":\(registered)}")
                byID.append("{\"member\":\"\(account)\",\"identities\":{\(object)},\"registered_at\":\(registered)}")
                let ts = asOf - Int64(random.below(365 * 86_400))
                let amount = 20 + random.below(400)
                orders.append(
                    "{\"identities\":{\"\(Self.channels[channel])\":\"\(account)\"},\"ts\":\(ts),\"amount\":\(amount),\"category\":\"pet\",\"id\":\"o\(account)\"}")
                output.accounts += 1
                output.orders += 1
                output.person.append(Int32(person))
            }
            if person % 10_000 == 9_999 { progress?(person + 1) }
        }
        try resolved.close()
        try byID.close()
        try orders.close()
        return output
    }

    /// The phone as people type it: bare, with +86, spaced or dashed.
    static func format(_ phone: String, _ random: inout DemoRandom) -> String {
        let digits = Array(phone)
        switch random.below(4) {
        case 0: return phone
        case 1: return "+86 " + phone
        case 2: return String(digits[0..<3]) + " " + String(digits[3..<7]) + " " + String(digits[7...])
        default: return String(digits[0..<3]) + "-" + String(digits[3..<7]) + "-" + String(digits[7...])
        }
    }
}

/// A buffered line writer.
final class LineFile {
    private let handle: FileHandle
    private var buffer = Data()

    init(_ url: URL) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        handle = try FileHandle(forWritingTo: url)
    }

    func append(_ line: String) {
        buffer.append(contentsOf: Array(line.utf8))
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { flush() }
    }

    private func flush() {
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        try handle.close()
    }
}
