import Foundation
import Testing

@testable import TagServer

/// Idle, silent and trickling connections are closed within the configured
/// timeouts (1 s idle, 2 s body here).
@Suite("Connection timeouts", .serialized)
struct ConnectionTimeoutTests {
    static func start() async throws -> TestServer {
        try await TestServer.start(configure: {
            $0.idleTimeout = .seconds(1)
            $0.bodyTimeout = .seconds(2)
        })
    }

    @Test func aSilentConnectionIsClosed() async throws {
        let s = try await Self.start()
        let connection = try RawConnection(port: s.port)
        let started = Date()
        #expect(connection.closed(within: 5))
        #expect(Date().timeIntervalSince(started) < 3)
        try await s.stop()
    }

    @Test func tricklingHeadersAreCutOff() async throws {
        let s = try await Self.start()
        let connection = try RawConnection(port: s.port)
        let started = Date()
        var closed = false
        for byte in "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".map(String.init) {
            if !connection.write(byte) || connection.closed(within: 0.25) {
                closed = true
                break
            }
        }
        #expect(closed)
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(!connection.received.contains("200"))
        try await s.stop()
    }

    @Test func aBodyTrickledAByteASecondIsCutOff() async throws {
        let s = try await Self.start()
        let connection = try RawConnection(port: s.port)
        let head = "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(s.tokens["root"] ?? "")\r\n"
            + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
        #expect(connection.write(head))
        let started = Date()
        var closed = false
        for _ in 0..<10 {
            // A byte every half second keeps the idle timer (1 s) from firing;
            // only the body deadline (2 s) can end this.
            if !connection.write(" ") || connection.closed(within: 0.5) {
                closed = true
                break
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(closed)
        #expect(elapsed > 1.5 && elapsed < 4, "closed after \(elapsed) s")
        try await s.stop()
    }

    @Test func aPromptClientIsServed() async throws {
        let s = try await Self.start()
        #expect(try await s.send(.GET, "/v1/tags").status == 200)
        try await Task.sleep(for: .milliseconds(300))
        let events = #"{"member":"m1","ts":1764547000,"type":"view"}"#
        #expect(try await s.send(.POST, "/v1/events", body: events).status == 200)
        try await s.stop()
    }
}
