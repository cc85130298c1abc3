import ArgumentParser
import Foundation
import MemberStore
import TagEngine

/// Who runs a governance command: established from `TAGD_TOKEN` or the
/// operating-system account, never from `--as` alone (see ``Identity``).
struct ActorOptions: ParsableArguments {
    @Option(
        name: .customLong("as"),
        help: "Who you are; checked against TAGD_TOKEN or your OS account (a mismatch is refused and audited).")
    var claimed: String?

    /// The authenticated user name.
    func actor(in store: MemberStore) throws -> String {
        let token = ProcessInfo.processInfo.environment["TAGD_TOKEN"]
        return try Identity(pool: store.pool).resolve(claimed: claimed, token: token, osUser: Identity.currentOSUser)
    }
}
