import Foundation
import MemberStore
import Testing

@testable import TagEngine

/// The shipped library rules (repurchase crowd, new-product lovers, funnel
/// stage, attribute tags, coupon and product preferences), each run from its
/// file in `rules/` on a small handmade store at ``TestStore/asOf``
/// (2024-01-31) and checked against values computed by hand.
@Suite("Shipped library rules")
struct LibraryRuleTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Copies `rules/<path>` into a fresh store's rules, approves and runs it.
    static func run(_ path: String, _ name: String, seed: (TestStore) throws -> Void) throws -> [String: String] {
        let store = try TestStore()
        try seed(store)
        try store.write(path, try String(contentsOf: repository.appendingPathComponent("rules/\(path)"), encoding: .utf8))
        try store.approve(name, plugins: repository.appendingPathComponent("plugins"))
        let report = try #require(try store.run([name]).first)
        #expect(report.status == "succeeded", "\(report.error ?? "")")
        return try store.values(name)
    }

    static func order(
        _ member: String, _ days: Double, category: String? = nil, product: String? = nil, new: Bool = false,
        coupon: String? = nil, paid: Bool = true
    ) -> OrderInput {
        OrderInput(
            member: member, ts: TestStore.ago(days), amount: 10, category: category, product: product, isNewProduct: new,
            coupon: coupon, paid: paid)
    }

    /// Grocery buyers of the year (days before as-of): a 70, 40, 10 (and 400,
    /// outside the year); b 100, 20; c 5; d 300, 200; e 50; f 60, 45, 30, 15, 1;
    /// g 3 unpaid. 14 purchases by 6 buyers: 8 gaps spanning
    /// (70+100+5+300+50+60) - (10+20+5+200+50+1) = 299 days, a cycle of
    /// 37.375 days. Pet: e 30, 10 is one gap, too few for a cycle.
    @Test func repurchaseCrowd() throws {
        let values = try Self.run("behaviour/repurchase_crowd.lua", "repurchase_crowd") { store in
            let grocery: [(String, [Double])] = [
                ("a", [70, 40, 10, 400]), ("b", [100, 20]), ("c", [5]), ("d", [300, 200]), ("e", [50]),
                ("f", [60, 45, 30, 15, 1]),
            ]
            var orders = grocery.flatMap { member, days in days.map { Self.order(member, $0, category: "grocery") } }
            orders += [
                Self.order("g", 3, category: "grocery", paid: false), Self.order("e", 30, category: "pet"),
                Self.order("e", 10, category: "pet"),
            ]
            _ = try store.store.ingest(orders: orders)
        }
        // d (last 200 days ago) and e (50; pet has no cycle) are outside; g never paid.
        #expect(values == ["a": "grocery:2-3", "b": "grocery:1", "c": "grocery:0", "f": "grocery:4+"])
    }

    /// Paid orders of the year: n1 2 new beauty + 1 regular (2/3); n2 1 new of 3;
    /// n3 2 new, too few orders; n4 2 new pet + 1 new beauty + 1 regular (3/4,
    /// plus 3 unpaid new ones); n5 3 new without a category; n6 3 new 400 days
    /// ago and 1 regular in the year.
    @Test func newProductLovers() throws {
        let values = try Self.run("preference/new_product_lovers.lua", "new_product_lovers") { store in
            _ = try store.store.ingest(orders: [
                Self.order("n1", 5, category: "beauty", new: true), Self.order("n1", 6, category: "beauty", new: true),
                Self.order("n1", 7, category: "home"),
                Self.order("n2", 5, category: "beauty", new: true), Self.order("n2", 6), Self.order("n2", 7),
                Self.order("n3", 5, new: true), Self.order("n3", 6, new: true),
                Self.order("n4", 5, category: "pet", new: true), Self.order("n4", 6, category: "pet", new: true),
                Self.order("n4", 7, category: "beauty", new: true), Self.order("n4", 8, category: "home"),
                Self.order("n4", 9, category: "beauty", new: true, paid: false),
                Self.order("n4", 10, category: "beauty", new: true, paid: false),
                Self.order("n4", 11, category: "beauty", new: true, paid: false),
                Self.order("n5", 5, new: true), Self.order("n5", 6, new: true), Self.order("n5", 7, new: true),
                Self.order("n6", 400, new: true), Self.order("n6", 401, new: true), Self.order("n6", 402, new: true),
                Self.order("n6", 3),
            ])
        }
        #expect(values == ["n1": "beauty", "n4": "pet", "n5": "uncategorised"])
    }

    @Test func funnelStage() throws {
        let values = try Self.run("lifecycle/funnel_stage.lua", "funnel_stage") { store in
            let registered = TestStore.ago(500)
            _ = try store.store.ingest(members: ["f1", "f8"].map { MemberInput(externalID: $0, registeredAt: registered) }
                + [MemberInput(externalID: "f9")])
            _ = try store.store.ingest(events: [
                EventInput(member: "f2", ts: TestStore.ago(2), type: "app_launch"),
                EventInput(member: "f3", ts: TestStore.ago(5), type: "browse"),
                EventInput(member: "f4", ts: TestStore.ago(4), type: "browse"),
                EventInput(member: "f4", ts: TestStore.ago(3), type: "cart"),
                EventInput(member: "f5", ts: TestStore.ago(3), type: "favourite"),
            ])
            _ = try store.store.ingest(orders: [
                Self.order("f5", 10), Self.order("f6", 10), Self.order("f6", 20), Self.order("f6", 5, paid: false),
                Self.order("f7", 100), Self.order("f7", 120), Self.order("f8", 5, paid: false),
            ])
        }
        #expect(values == [
            "f1": "registered", "f2": "launched", "f3": "browsing", "f4": "deep", "f5": "paid", "f6": "repeat_paid",
            "f7": "silent", "f8": "registered",
        ])
    }

    @Test func attributeTags() throws {
        let birthdays: [(String, String?)] = [
            ("b1", "2006-01-31"), ("b2", "2006-02-01"), ("b3", "1990-05-01"), ("b4", "1969-01-31"), ("b5", "1969-02-01"),
            ("b6", "05-01"), ("b7", nil), ("b8", "2030-01-01"), ("b9", "1980-01-31"),
        ]
        let levels: [Int?] = [0, 1, 2, 3, 4, 5, nil, 1, 9]
        let channels: [String?] = ["wechat", "app", nil, "store", "web", "jd", "tmall", nil, "wechat"]
        let seed: (TestStore) throws -> Void = { store in
            _ = try store.store.ingest(members: birthdays.indices.map {
                MemberInput(externalID: birthdays[$0].0, channel: channels[$0], birthday: birthdays[$0].1, level: levels[$0])
            })
        }
        // As of 2024-01-31: b1 turns 18 today, b2 is 17 until tomorrow, b4 55, b5 54.
        #expect(try Self.run("attributes/age_band.lua", "age_band", seed: seed) == [
            "b1": "18_24", "b2": "under_18", "b3": "25_34", "b4": "55_plus", "b5": "45_54", "b9": "35_44",
        ])
        #expect(try Self.run("attributes/level_band.lua", "level_band", seed: seed) == [
            "b1": "low", "b2": "low", "b3": "mid", "b4": "mid", "b5": "high", "b6": "high", "b8": "low", "b9": "high",
        ])
        #expect(try Self.run("attributes/registration_channel.lua", "registration_channel", seed: seed) == [
            "b1": "wechat", "b2": "app", "b4": "store", "b5": "web", "b6": "jd", "b7": "tmall", "b9": "wechat",
        ])
    }

    @Test func couponAndProductPreferences() throws {
        let seed: (TestStore) throws -> Void = { store in
            _ = try store.store.ingest(orders: [
                Self.order("p1", 5, product: "sku-1", coupon: "C10"), Self.order("p1", 6, product: "sku-1", coupon: "C10"),
                Self.order("p1", 4, product: "sku-2", coupon: "C20"),
                Self.order("p2", 5, product: "sku-1", coupon: "FREESHIP", paid: false),
                Self.order("p2", 6, product: "sku-2", coupon: "C20"),
                Self.order("p3", 5, product: "sku-3"),
                Self.order("p4", 400, product: "sku-4", coupon: "C10"), Self.order("p4", 401, product: "sku-4", coupon: "C10"),
                Self.order("p4", 5, product: "sku-4", coupon: "C20"),
                Self.order("p5", 10, product: "sku-5", coupon: "C10"), Self.order("p5", 5, product: "sku-6", coupon: "C20"),
            ])
        }
        // p5: C10 and C20 once each, C20 the latest.
        #expect(try Self.run("preference/preferred_coupon.lua", "preferred_coupon", seed: seed) == [
            "p1": "C10", "p2": "C20", "p4": "C20", "p5": "C20",
        ])
        // Only p1 bought one product twice in the year (p4's repeats are older; p2's unpaid order does not count).
        #expect(try Self.run("preference/preferred_product.lua", "preferred_product", seed: seed) == ["p1": "sku-1"])
    }
}
