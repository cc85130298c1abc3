/// The behaviour classes mixed into a demo store by ``DemoGenerator``; each
/// member gets exactly one, which fixes when and how much it buys and browses.
///
/// Order and event counts are `minimum + Poisson(scale * extra)`, with the
/// scales chosen so that the store-wide averages match
/// ``DemoGenerator/Options/ordersPerMember`` and
/// ``DemoGenerator/Options/eventsPerMember``.
enum DemoArchetype: Int, CaseIterable, Sendable {
    /// Many orders spread over their membership, the last one in the past
    /// 30 days; higher levels.
    case loyal
    /// A few large orders (amounts multiplied by 4 to 10).
    case bigSpender
    /// Ordinary occasional buyers.
    case regular
    /// Bought only more than 180 days ago, no activity since.
    case lapsed
    /// Registered recently, exactly one order within the last 30 days.
    case newOneTime
    /// Browse, cart and favourite in the last 7 days without buying then
    /// (a minority has a few old orders).
    case interest
    /// Only `browse` and `sign_in` events, never an order.
    case neverBuyer
    /// No orders and no events at all.
    case dormant

    /// Share of each archetype among members, in `allCases` order.
    static let mix = DemoWeights(allCases.map(\.share))

    /// Share of members with this archetype.
    var share: Double {
        switch self {
        case .loyal: 0.10
        case .bigSpender: 0.04
        case .regular: 0.26
        case .lapsed: 0.12
        case .newOneTime: 0.06
        case .interest: 0.10
        case .neverBuyer: 0.14
        case .dormant: 0.18
        }
    }

    /// Orders every member of this archetype has.
    var minOrders: Int {
        switch self {
        case .loyal: 4
        case .bigSpender, .regular, .lapsed, .newOneTime: 1
        case .interest, .neverBuyer, .dormant: 0
        }
    }

    /// Mean of the additional, scaled orders (at scale 1).
    var extraOrders: Double {
        switch self {
        case .loyal: 10
        case .bigSpender: 2
        case .regular: 3
        case .lapsed: 2
        case .interest: 0.4
        case .newOneTime, .neverBuyer, .dormant: 0
        }
    }

    /// Events every member of this archetype has.
    var minEvents: Int {
        switch self {
        case .loyal: 5
        case .bigSpender, .regular, .newOneTime: 2
        case .interest: 3
        case .lapsed, .neverBuyer: 1
        case .dormant: 0
        }
    }

    /// Mean of the additional, scaled events (at scale 1).
    var extraEvents: Double {
        switch self {
        case .loyal: 25
        case .bigSpender: 8
        case .regular: 10
        case .lapsed: 6
        case .newOneTime: 6
        case .interest: 14
        case .neverBuyer: 6
        case .dormant: 0
        }
    }

    /// The scale applied to `extra` counts so that the expected per-member
    /// average is `target` (0 when the minimums alone reach it).
    static func scale(target: Double, minimum: (DemoArchetype) -> Int, extra: (DemoArchetype) -> Double) -> Double {
        var fixed = 0.0
        var scalable = 0.0
        for archetype in allCases {
            fixed += archetype.share * Double(minimum(archetype))
            scalable += archetype.share * extra(archetype)
        }
        guard scalable > 0 else { return 0 }
        return max(0, (target - fixed) / scalable)
    }
}
