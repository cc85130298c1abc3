import Foundation
import Logging
import ReachHTTP
import ServiceLifecycle
import TagEngine

/// Delivers the outbox in the background: messages from reach plugins go
/// out at least once, with retries and backoff; a restart picks up whatever
/// was pending.
public struct OutboxService: Service {
    let state: ServerState
    let logger = Logger(label: "tagd.outbox")

    /// Creates the service for `state`.
    public init(state: ServerState) { self.state = state }

    var delivery: OutboxDelivery {
        OutboxDelivery(
            pool: state.pool, transport: HTTPWebhookTransport(), exportsDirectory: state.configuration.exportsDirectory,
            pluginsDirectory: state.configuration.pluginsDirectory, limits: state.configuration.limits,
            policy: state.configuration.retryPolicy)
    }

    /// Delivers due entries every `deliveryInterval` until graceful shutdown.
    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                let report = try await delivery.deliverDue(now: Date())
                if report.delivered + report.failed + report.dead > 0 {
                    state.metrics.outbox(delivered: report.delivered, failed: report.failed, dead: report.dead)
                    logger.info("outbox: \(report.delivered) delivered, \(report.failed) failed, \(report.dead) dead")
                }
            } catch {
                logger.error("outbox delivery failed: \(error)")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: state.configuration.deliveryInterval) }
        }
    }
}
