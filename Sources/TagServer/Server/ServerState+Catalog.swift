import Foundation
import TagCatalog
import TagEngine

extension ServerState {
    /// What the web catalog needs from this server: the rules directory, the
    /// realtime reload after a decision, the denial log and the read counter.
    var catalogEnvironment: CatalogEnvironment {
        CatalogEnvironment(
            store: store, scan: { [self] in try catalog.scan() }, sync: { [self] in try sync() },
            plan: { [self] file in
                try TagRunner(pool: pool, limits: configuration.limits, pluginsDirectory: configuration.pluginsDirectory)
                    .plan(source: file.source, file: file.path, tagName: file.name, asOf: configuration.clock(), modules: file.modules)
            },
            decided: { [self] in try realtime.reloadIfNeeded(at: configuration.clock()) },
            denied: { [self] denial in
                metrics.denied(status: denial.status)
                denials.record(actor: denial.actor, reason: denial.reason, route: denial.route, client: denial.client)
            },
            read: { [self] names in reads.record(names, via: "web") },
            clock: { [self] in configuration.clock() })
    }
}

extension TagRequestContext: CatalogRequestContext {}
