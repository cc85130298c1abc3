import ArgumentParser
import Foundation

/// What `tagd loadtest` sends.
enum LoadScenario: String, CaseIterable, ExpressibleByArgument, Codable, Sendable {
    /// `POST /v1/events` with `--batch` events per request, as fast as possible.
    case ingest
    /// `POST /v1/events` with one `cart` event per request; the latency
    /// includes the realtime re-evaluation the server does before answering.
    case realtime
    /// `GET /v1/members/{id}`.
    case read

    var isIngest: Bool { self != .read }
}

/// A small, fast generator (SplitMix64): one per worker, so the load
/// generator spends its CPU on requests rather than on randomness.
struct LoadRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds request bodies and paths for one worker.
struct LoadRequestFactory {
    static let categories = ["apparel", "beauty", "pet", "electronics", "grocery", "home", "sports", "books", "baby"]
    static let ingestTypes = ["browse", "cart", "favourite"]

    let scenario: LoadScenario
    let batch: Int
    let members: Int
    /// Unique per run and worker, so event ids (idempotency keys) never collide.
    let keyPrefix: String
    var random: LoadRandom
    private var sequence = 0

    init(scenario: LoadScenario, batch: Int, members: Int, runID: String, worker: Int) {
        self.scenario = scenario
        self.batch = scenario == .ingest ? batch : 1
        self.members = members
        keyPrefix = "lt-\(runID)-\(worker)-"
        random = LoadRandom(seed: UInt64(truncatingIfNeeded: runID.hashValue) &+ UInt64(worker) &* 0x1000_0001)
    }

    /// `M0000042`: the external ids of demo and bench stores (1-based, 7 digits).
    static func memberID(_ n: Int) -> String {
        let digits = String(n)
        return "M" + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
    }

    mutating func randomMember() -> String {
        Self.memberID(Int.random(in: 1...members, using: &random))
    }

    /// The path of a `read` request.
    mutating func readPath() -> String { "/v1/members/" + randomMember() }

    /// One event object as JSON text.
    mutating func event(now: Int64) -> String {
        let type = scenario == .realtime ? "cart" : Self.ingestTypes.randomElement(using: &random)!
        let category = Self.categories.randomElement(using: &random)!
        sequence += 1
        return #"{"member":""# + randomMember() + #"","ts":"# + String(now) + #","type":""# + type
            + #"","category":""# + category + #"","id":""# + keyPrefix + String(sequence) + #""}"#
    }

    /// The body of an ingest request: one object, or an array of `batch` objects.
    mutating func ingestBody() -> [UInt8] {
        let now = Int64(Date().timeIntervalSince1970)
        if batch == 1 { return Array(event(now: now).utf8) }
        var text = "["
        text.reserveCapacity(batch * 110)
        for i in 0..<batch {
            if i > 0 { text += "," }
            text += event(now: now)
        }
        text += "]"
        return Array(text.utf8)
    }
}
