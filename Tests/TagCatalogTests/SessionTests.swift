import Foundation
import GRDB
import TagEngine
import Testing

@testable import TagCatalog

@Suite("Catalog sessions")
struct SessionTests {
    func setUp() throws -> (CatalogStore, String) {
        let scratch = try CatalogStore()
        _ = try Users(pool: scratch.pool).add(name: "ann", role: .admin, actor: "ann", osUser: "ann-os")
        let token = try ApiTokens(pool: scratch.pool).create(for: "ann", lifetime: 3_600, now: 1_000)
        return (scratch, token)
    }

    @Test func aTokenBecomesASessionThatExpires() throws {
        let (scratch, token) = try setUp()
        defer { scratch.remove() }
        let sessions = WebSessions(pool: scratch.pool)
        #expect(try sessions.create(token: "tagd_wrong", lifetime: 600, now: 1_000) == nil)
        let created = try #require(try sessions.create(token: token, lifetime: 600, now: 1_000))
        #expect(created.session.expiresAt == 1_600)
        #expect(created.id.count == 64 && created.session.csrf.count == 64 && created.id != created.session.csrf)
        guard case .valid(let session) = try sessions.lookup(created.id, now: 1_599) else { Issue.record("not valid"); return }
        #expect(session.user.name == "ann")
        guard case .ended(_, let why) = try sessions.lookup(created.id, now: 1_600) else { Issue.record("not ended"); return }
        #expect(why == "session expired")
        guard case .none = try sessions.lookup("no such session", now: 1_000) else { Issue.record("unknown session found"); return }
        let stored = try scratch.pool.read { db in try String.fetchAll(db, sql: "SELECT hash FROM web_sessions") }
        #expect(stored == [Hashing.sha256Hex(created.id)], "only the session id's hash is stored")
    }

    @Test func aSessionNeverOutlivesItsToken() throws {
        let (scratch, token) = try setUp()
        defer { scratch.remove() }
        let sessions = WebSessions(pool: scratch.pool)
        let created = try #require(try sessions.create(token: token, lifetime: 86_400, now: 1_000))
        #expect(created.session.expiresAt == 4_600, "capped at the token's expiry")
        let id = try #require(try ApiTokens(pool: scratch.pool).list(user: "ann").first?.id)
        try ApiTokens(pool: scratch.pool).revoke(id: id, actor: "ann", now: 1_100)
        guard case .ended(_, let why) = try sessions.lookup(created.id, now: 1_200) else { Issue.record("still valid"); return }
        #expect(why.contains("revoked"))
    }

    @Test func signingOutEndsTheSession() throws {
        let (scratch, token) = try setUp()
        defer { scratch.remove() }
        let sessions = WebSessions(pool: scratch.pool)
        let created = try #require(try sessions.create(token: token, lifetime: 600, now: 1_000))
        try sessions.end(created.id, actor: "ann")
        guard case .none = try sessions.lookup(created.id, now: 1_001) else { Issue.record("session survived sign-out"); return }
        let actions = try scratch.pool.read { db in try String.fetchAll(db, sql: "SELECT action FROM audit_log WHERE actor = 'ann'") }
        #expect(actions.contains("web_sign_in") && actions.contains("web_sign_out"))
    }
}
