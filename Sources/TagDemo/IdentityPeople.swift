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
    public static let channels = PersonAccounts.channels

    /// A generator.
    public init(people: Int, seed: UInt64 = 42, asOf: Int64) {
        self.people = people
        self.seed = seed
        self.asOf = asOf
    }

    /// The person an account id was generated for (`tb123x2` -> 123): the truth.
    public static func person(ofAccount id: String) -> Int? { PersonAccounts.person(ofAccount: id) }

    /// Writes the three files into `directory`; `progress` gets people done.
    public func write(into directory: URL, progress: ((Int) -> Void)? = nil) throws -> Output {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let resolved = try LineFile(directory.appendingPathComponent("accounts.ndjson"))
        let byID = try LineFile(directory.appendingPathComponent("accounts-by-id.ndjson"))
        let orders = try LineFile(directory.appendingPathComponent("orders.ndjson"))
        var output = Output()
        output.person.reserveCapacity(people * 2)
        for person in 0..<people {
            var random = DemoRandom(seed: seed, stream: UInt64(person))
            let truth = PersonAccounts(person: person)
            let count = PersonAccounts.count(&random)
            for channel in PersonAccounts.channels(count: count, &random) {
                let account = truth.account(channel, &random)
                let identities = account.identities
                let object = identities.map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",")
                let registered = asOf - 86_400 * Int64(30 + random.below(2_000))
                resolved.append("{\"identities\":{\(object)},\"registered_at\":\(registered)}")
                byID.append("{\"member\":\"\(account.id)\",\"identities\":{\(object)},\"registered_at\":\(registered)}")
                let ts = asOf - Int64(random.below(365 * 86_400))
                let amount = 20 + random.below(400)
                orders.append(
                    "{\"identities\":{\"\(Self.channels[channel])\":\"\(account.id)\"},\"ts\":\(ts),\"amount\":\(amount),\"category\":\"pet\",\"id\":\"o\(account.id)\"}")
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
