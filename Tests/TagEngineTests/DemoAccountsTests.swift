import Foundation
import GRDB
import MemberStore
import TagDemo
import Testing

@testable import TagEngine

/// The demo's people with several channel accounts: the shipped identity
/// rules merge the accounts that carry the person's phone into the member,
/// and after that every member holds exactly the orders and events it holds
/// in a store generated without accounts (what `tagd bench` generates).
@Suite("Demo people with several accounts")
struct DemoAccountsTests {
    static let asOf = Date(timeIntervalSince1970: 1_749_988_800)

    static func generate(accounts: Bool) throws -> TestStore {
        let store = try TestStore()
        var options = DemoGenerator.Options(members: 3_000, seed: 7, asOf: asOf)
        options.accounts = accounts
        let summary = try DemoGenerator(options: options).generate(into: store.pool)
        #expect((summary.accounts > 0) == accounts)
        return store
    }

    /// Per live member: orders, their amount, events, first and last timestamps.
    static func holdings(_ store: TestStore) throws -> [String] {
        try store.pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT m.external_id || ' ' || m.registered_at || ' ' || m.region
                  || ' o' || (SELECT count(*) || '/' || coalesce(sum(amount), 0) || '/' || coalesce(min(ts), 0) || '/' || coalesce(max(ts), 0) FROM orders WHERE member_id = m.id)
                  || ' e' || (SELECT count(*) || '/' || coalesce(min(ts), 0) || '/' || coalesce(max(ts), 0) FROM events WHERE member_id = m.id)
                FROM members m WHERE m.merged_into IS NULL AND m.external_id LIKE 'M%' ORDER BY m.id
                """)
        }
    }

    @Test func theShippedRulesMergeTheAccountsBackIntoThePeople() throws {
        let source = try String(contentsOf: ImportEquivalenceTests.repository.appendingPathComponent("rules/identity.lua"), encoding: .utf8)
        let policy = try IdentityRules.parse(source: source)
        let plain = try Self.generate(accounts: false)
        let people = try Self.generate(accounts: true)
        let before = try Self.holdings(people)
        let plan = try people.pool.read { db in try IdentityPlan.make(policy, in: db) }
        let merged = try people.pool.write { db in try plan.apply(policy, actor: "test", in: db) }
        #expect(merged > 500)
        #expect(plan.blocked == 0)
        #expect(plan.clusters.map(\.members.count).max() ?? 0 <= 4)
        #expect(before != (try Self.holdings(plain)))
        #expect(try Self.holdings(people) == (try Self.holdings(plain)))
        // Every merge joins accounts of one person (the truth is in the account ids).
        let pairs = try people.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.external_id, a.external_id FROM members a JOIN members s ON s.id = a.merged_into
                """).map { ($0[0] as String, $0[1] as String) }
        }
        #expect(pairs.count == merged)
        // A family's shared e-mail is held as a candidate pair (their phones differ), never merged.
        let held = try people.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM identity_candidates") ?? 0 }
        #expect(held > 0)
        // (Two accounts may merge without the member: say both lack a usable phone but share an e-mail.)
        let person = { (id: String) in id.hasPrefix("M") ? Int(id.dropFirst()) : IdentityPeople.person(ofAccount: id) }
        for (survivor, absorbed) in pairs {
            #expect(person(absorbed) != nil && person(absorbed) == person(survivor), "\(absorbed) merged into \(survivor)")
        }
        // Some accounts share nothing usable with their person and stay members of their own, holding nothing.
        let apart = try people.pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM members m WHERE m.merged_into IS NULL AND m.external_id NOT LIKE 'M%'
                AND NOT EXISTS (SELECT 1 FROM orders WHERE member_id = m.id) AND NOT EXISTS (SELECT 1 FROM events WHERE member_id = m.id)
                """) ?? 0
        }
        #expect(apart > 0)
    }
}
