import Foundation
import GRDB
import Hummingbird
import NIOCore

/// `GET /healthz` and `GET /metrics` (no token needed).
struct HealthRoutes {
    let state: ServerState

    struct Health: Codable, Sendable {
        var status: String
        var members: Int
        var activeTags: Int
        var realtimeTags: [String]
    }

    func register(on router: Router<TagRequestContext>) {
        router.get("healthz") { _, _ in
            JSONResponse(try await state.blocking {
                try state.pool.read { db in
                    Health(
                        status: "ok", members: try Int.fetchOne(db, sql: "SELECT count(*) FROM members WHERE merged_into IS NULL") ?? 0,
                        activeTags: try Int.fetchOne(db, sql: "SELECT count(*) FROM tags WHERE state = 'active'") ?? 0,
                        realtimeTags: state.realtime.tags)
                }
            })
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: state.metrics.registry.emitToBuffer())))
        }
    }
}
