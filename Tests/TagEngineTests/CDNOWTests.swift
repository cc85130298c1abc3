import Foundation
import GRDB
import MemberStore
import Testing

@testable import TagEngine

/// The shipped RFM rules (`rules/value/rfm_class.lua`, `rfm_score.lua`) run on
/// the real CDNOW purchase data (Fixtures/cdnow, see its README), checked
/// member by member against an independent computation from the raw file.
///
/// As of A = 1998-07-01T00:00:00Z, every order at midnight UTC of its date:
/// - recency   = floor((A - last order) / 86400) days, over all orders;
/// - frequency = orders with ts > A - 365 d;
/// - monetary  = their summed dollar_value;
/// - population = customers with frequency > 0.
///
/// 1998 has no 29 February, so A - 365 d is exactly 1997-07-01T00:00:00Z and
/// `ts > A - 365 d` means dates from 1997-07-02 on. The dataset README's
/// 8,332 customers counts dates from 1997-07-01 on (`>=`); 20 customers
/// bought in the year only on 1997-07-01 itself (e.g. 00421), so the rule
/// population is 8,312.
@Suite struct CDNOWTests {
    /// 1998-07-01T00:00:00Z.
    static let asOfSeconds: Int64 = 899_251_200
    static let day: Int64 = 86_400
    static let windowStart = asOfSeconds - 365 * day

    @Test func rfmRulesMatchAnIndependentComputationOnCDNOW() throws {
        #expect(Self.epoch(yyyymmdd: "19980701") == Self.asOfSeconds)
        #expect(Self.epoch(yyyymmdd: "19970701") == Self.windowStart)
        let orders = try Self.rawOrders()
        #expect(orders.count == 69_659)

        // The README fact, and how the rule's strict window differs from it.
        let onOrAfterJuly1 = Set(orders.filter { $0.ts >= Self.windowStart }.map(\.customer))
        #expect(onOrAfterJuly1.count == 8_332)

        // Independent RFM.
        let expected = Self.rfm(orders)
        let population = expected.filter { $0.value.frequency > 0 }
        #expect(population.count == 8_312)
        #expect(onOrAfterJuly1.subtracting(population.keys).count == 20)
        let stats = Stats(population.values)
        #expect(abs(stats.meanRecency - 141.229) < 0.001)
        #expect(abs(stats.meanFrequency - 3.37199) < 0.00001)
        #expect(abs(stats.meanMonetary - 128.2011) < 0.0001)

        // tagd.
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tagd-cdnow-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try MemberStore(path: directory.appendingPathComponent("store.sqlite").path)
        defer { try? store.close() }

        let csv = directory.appendingPathComponent("orders.csv")
        try Self.ordersCSV(orders).write(to: csv, atomically: true, encoding: .utf8)
        let summary = try store.importFile(csv.path, kind: .orders)
        #expect(summary.imported == 69_659)
        #expect(summary.membersCreated == 23_570)
        #expect(summary.badRowCount == 0)

        let reports = try Self.runRFMRules(store)
        #expect(reports.map(\.tag).sorted() == ["rfm_class", "rfm_score"])
        for report in reports {
            #expect(report.status == "succeeded", "\(report.tag): \(report.error ?? "")")
            #expect(report.members == 23_570)
            #expect(report.covered == 8_312)
        }
        let classes = try Self.liveValues("rfm_class", store)
        let scores = try Self.liveValues("rfm_score", store)

        // Exactly the population holds a value.
        #expect(classes.count == population.count)
        #expect(scores.count == population.count)
        let outsiders = expected.keys.filter { expected[$0]!.frequency == 0 }
        #expect(outsiders.count == 23_570 - 8_312)
        #expect(outsiders.filter { classes[$0] != nil || scores[$0] != nil }.isEmpty)

        // Every customer, both tags.
        let classMismatches = Self.mismatches(population, tagd: classes, stats: stats) { Self.rfmClass($0, stats) }
        let scoreMismatches = Self.mismatches(population, tagd: scores, stats: stats) { Self.rfmScore($0, stats) }
        #expect(classMismatches == 0)
        #expect(scoreMismatches == 0)

        // Hand-checked customers: their raw rows (customer_id date cds dollars).
        // 00002  19970112 1 12.00 / 19970112 5 77.00:
        //   last order 535 days before A, nothing in the year -> no class.
        #expect(expected["00002"] == RFM(recency: 535, frequency: 0, monetary: 0))
        #expect(classes["00002"] == nil && scores["00002"] == nil)
        // 00421  19970102 28.47 / 19970119 24.74 / 19970227 15.36 / 19970310 13.97 / 19970701 124.29:
        //   1997-07-01 is exactly 365 days before A, outside the strict window.
        #expect(expected["00421"] == RFM(recency: 365, frequency: 0, monetary: 0))
        #expect(classes["00421"] == nil)
        // 00003  19970102 20.76 / 19970330 20.76 / 19970402 19.54 /
        //        19971115 57.45 / 19971125 20.96 / 19980528 16.99:
        //   R 34 (< mean: recent), F 3 (< mean), M 57.45+20.96+16.99 = 95.40 (< mean).
        Self.check("00003", expected, classes, scores, 34, 3, 95.40, "general_develop", "R5F3M4")
        // 00004  19970101 29.33 / 19970118 29.73 / 19970802 14.96 / 19971212 26.48:
        //   R 201, F 2, M 14.96+26.48 = 41.44: low on all three.
        Self.check("00004", expected, classes, scores, 201, 2, 41.44, "general_retain", "R2F2M2")
        // 00007  19970101 28.74 / 19971011 97.43 / 19980322 138.50:
        //   R 101 (recent), F 2, M 235.93 (big).
        Self.check("00007", expected, classes, scores, 101, 2, 235.93, "important_develop", "R3F2M5")
        // 00005  19970101 29.33 / 19970114 13.97 / 19970204 38.90 / 19970411 45.55 /
        //        19970531 38.71 / 19970616 26.14 / 19970722 28.14 / 19970915 40.47 /
        //        19971208 46.46 / 19971212 40.47 / 19980103 37.47:
        //   R 179 (not recent), F 5 (frequent), M 193.01 (big).
        Self.check("00005", expected, classes, scores, 179, 5, 193.01, "important_keep", "R2F4M5")
        // 00053  19970101 19.99 / 19970819 14.37 / 19971210 11.49 / 19980127 11.88 /
        //        19980209 14.49 / 19980504 13.99:
        //   R 58, F 5, M 66.22: recent and frequent but small.
        Self.check("00053", expected, classes, scores, 58, 5, 66.22, "general_value", "R4F4M3")
        // 00082  19970101 38.50 / 19970419 48.50 / 19970927 30.98 / 19971123 43.97 /
        //        19980227 40.56 / 19980410 40.29:
        //   R 82, F 4, M 155.80: recent, frequent, big.
        Self.check("00082", expected, classes, scores, 82, 4, 155.80, "important_value", "R4F4M4")
        // 00124  19970101 28.93 / 19970913 28.48 / 19971016 26.98 / 19971102 25.98 / 19971212 27.98:
        //   R 201, F 4, M 109.42: frequent only.
        Self.check("00124", expected, classes, scores, 201, 4, 109.42, "general_keep", "R2F4M4")
        // 00126  19970103 9.77 / 19971202 292.98:
        //   R 211, F 1, M 292.98: big only; F 1 is the lowest frequency (F1).
        Self.check("00126", expected, classes, scores, 211, 1, 292.98, "important_retain", "R2F1M5")
    }

    // MARK: - Raw data

    /// One row of CDNOW_master.txt.
    struct RawOrder {
        var customer: String
        var date: String
        var ts: Int64
        var amountText: String
        var amount: Double
    }

    /// The fixture's rows in file order (header skipped; the file has CRLF endings).
    static func rawOrders() throws -> [RawOrder] {
        let text = try String(contentsOf: fixtureURL(), encoding: .utf8)
        var orders: [RawOrder] = []
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard fields.count == 4, let ts = epoch(yyyymmdd: fields[1]), let amount = Double(fields[3]) else {
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSDebugDescriptionErrorKey: "bad row: \(line)"])
            }
            orders.append(RawOrder(customer: fields[0], date: fields[1], ts: ts, amountText: fields[3], amount: amount))
        }
        return orders
    }

    static func fixtureURL() throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures/cdnow/CDNOW_master", withExtension: "txt"))
    }

    /// Midnight UTC of a `yyyymmdd` date, in epoch seconds (days-from-civil).
    static func epoch(yyyymmdd text: String) -> Int64? {
        guard text.count == 8, let n = Int64(text) else { return nil }
        var year = n / 10_000
        let month = n / 100 % 100
        let dayOfMonth = n % 100
        guard (1...12).contains(month), (1...31).contains(dayOfMonth) else { return nil }
        if month <= 2 { year -= 1 }
        let era = year / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + dayOfMonth - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return (era * 146_097 + dayOfEra - 719_468) * day
    }

    /// `member,ts,amount` with ISO dates and the dollar values as written.
    static func ordersCSV(_ orders: [RawOrder]) -> String {
        var csv = "member,ts,amount\n"
        for order in orders {
            let d = order.date
            let iso = "\(d.prefix(4))-\(d.dropFirst(4).prefix(2))-\(d.suffix(2))"
            csv += "\(order.customer),\(iso),\(order.amountText)\n"
        }
        return csv
    }

    // MARK: - Independent RFM

    private struct RFM: Equatable {
        var recency: Int
        var frequency: Int
        var monetary: Double
    }

    /// Per customer, summing amounts in file order (the store's per-member order).
    private static func rfm(_ orders: [RawOrder]) -> [String: RFM] {
        var last: [String: Int64] = [:]
        var result: [String: RFM] = [:]
        for order in orders {
            last[order.customer] = max(last[order.customer] ?? .min, order.ts)
            var entry = result[order.customer] ?? RFM(recency: 0, frequency: 0, monetary: 0)
            if order.ts > windowStart {
                entry.frequency += 1
                entry.monetary += order.amount
            }
            result[order.customer] = entry
        }
        for (customer, ts) in last {
            result[customer]!.recency = Int(((Double(asOfSeconds) - Double(ts)) / Double(day)).rounded(.down))
        }
        return result
    }

    /// Means and sorted values of the population.
    private struct Stats {
        let count: Int
        let recencies: [Double], frequencies: [Double], monetaries: [Double]
        let meanRecency: Double, meanFrequency: Double, meanMonetary: Double

        init(_ population: some Collection<RFM>) {
            count = population.count
            recencies = population.map { Double($0.recency) }.sorted()
            frequencies = population.map { Double($0.frequency) }.sorted()
            monetaries = population.map(\.monetary).sorted()
            meanRecency = recencies.reduce(0, +) / Double(count)
            meanFrequency = frequencies.reduce(0, +) / Double(count)
            meanMonetary = monetaries.reduce(0, +) / Double(count)
        }

        /// min(5, floor(values strictly below v / N * 5) + 1).
        func ntile(_ v: Double, _ sorted: [Double]) -> Int {
            var below = 0, high = sorted.count  // binary search: first index with value >= v
            while below < high {
                let mid = (below + high) / 2
                if sorted[mid] < v { below = mid + 1 } else { high = mid }
            }
            return min(5, Int((Double(below) / Double(count) * 5).rounded(.down)) + 1)
        }
    }

    private static func rfmClass(_ m: RFM, _ stats: Stats) -> String {
        let recent = Double(m.recency) < stats.meanRecency
        let frequent = Double(m.frequency) > stats.meanFrequency
        let level = m.monetary > stats.meanMonetary ? "important" : "general"
        if recent && frequent { return level + "_value" }
        if recent { return level + "_develop" }
        if frequent { return level + "_keep" }
        return level + "_retain"
    }

    private static func rfmScore(_ m: RFM, _ stats: Stats) -> String {
        let r = 6 - stats.ntile(Double(m.recency), stats.recencies)
        let f = stats.ntile(Double(m.frequency), stats.frequencies)
        let mo = stats.ntile(m.monetary, stats.monetaries)
        return "R\(r)F\(f)M\(mo)"
    }

    /// Customers whose tagd value differs from `expected`, printing the first five.
    private static func mismatches(
        _ population: [String: RFM], tagd: [String: String], stats: Stats, expected: (RFM) -> String
    ) -> Int {
        let wrong = population.keys.sorted().filter { tagd[$0] != expected(population[$0]!) }
        for customer in wrong.prefix(5) {
            let m = population[customer]!
            print("CDNOW mismatch \(customer): R \(m.recency) F \(m.frequency) M \(m.monetary)"
                + " expected \(expected(m)) tagd \(tagd[customer] ?? "nil")")
        }
        return wrong.count
    }

    private static func check(
        _ customer: String, _ expected: [String: RFM], _ classes: [String: String], _ scores: [String: String],
        _ recency: Int, _ frequency: Int, _ monetary: Double, _ rfmClass: String, _ rfmScore: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let m = expected[customer]
        #expect(m?.recency == recency, "\(customer) R", sourceLocation: sourceLocation)
        #expect(m?.frequency == frequency, "\(customer) F", sourceLocation: sourceLocation)
        #expect(abs((m?.monetary ?? -1) - monetary) < 1e-9, "\(customer) M", sourceLocation: sourceLocation)
        #expect(classes[customer] == rfmClass, "\(customer) class", sourceLocation: sourceLocation)
        #expect(scores[customer] == rfmScore, "\(customer) score", sourceLocation: sourceLocation)
    }

    // MARK: - tagd

    /// Registers (alice proposes), approves (bob) and runs the two shipped rule files as of A.
    private static func runRFMRules(_ store: MemberStore) throws -> [RunReport] {
        let users = Users(pool: store.pool)
        try users.add(name: "root", role: .admin, actor: nil)
        try users.add(name: "alice", role: .operator, actor: "root")
        try users.add(name: "bob", role: .approver, actor: "root")
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let rulesDir = root.appendingPathComponent("rules", isDirectory: true)
        let files = try RuleCatalog(directory: rulesDir).scan(only: ["value/rfm_class.lua", "value/rfm_score.lua"])
        let registry = TagRegistry(pool: store.pool)
        let sync = try registry.sync(files, actor: "alice")
        #expect(sync.errors.isEmpty, "\(sync.errors)")
        for name in ["rfm_class", "rfm_score"] { _ = try registry.approve(name: name, actor: "bob", files: files) }
        let asOf = Date(timeIntervalSince1970: TimeInterval(asOfSeconds))
        return try TagRunner(pool: store.pool).run(try registry.liveVersions(), asOf: asOf, trigger: "test")
    }

    /// Live values of tag `name` by member external id.
    private static func liveValues(_ name: String, _ store: MemberStore) throws -> [String: String] {
        try store.pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT m.external_id, mt.value FROM member_tags mt
                    JOIN members m ON m.id = mt.member_id JOIN tags t ON t.id = mt.tag_id
                    WHERE t.name = ?
                    """,
                arguments: [name])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0[0] as String, $0[1] as String) })
        }
    }
}
