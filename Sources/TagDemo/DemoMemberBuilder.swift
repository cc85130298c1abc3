import Foundation

/// Synthesizes one demo member at a time (profile, identities, orders,
/// events) into reusable buffers, for ``DemoGenerator``.
///
/// Each member draws from its own random stream, derived from the seed and
/// the member id, so member `n` does not depend on how many members are
/// generated (only on the seed, `asOf` and the two averages). The
/// buffers are reused from member to member: building allocates only the
/// member's own strings.
struct DemoMemberBuilder {
    /// A member's profile row (`members`).
    struct Member {
        var id: Int64 = 0
        var externalID = ""
        var channel = 0
        var registeredAt: Int64 = 0
        var gender = 0
        var region = 0
        var birthday = ""
        var level = 1
        var attrs = "{}"
        var updatedAt: Int64 = 0
        var archetype = DemoArchetype.dormant
        var preferredCategory = 0
    }

    /// One channel identity row (`identities`).
    struct Identity {
        var channel: Int
        var value: String
    }

    /// One order row (`orders`); strings are indices into ``DemoCatalog``.
    struct Order {
        var ts: Int64
        var amount: Double
        var channel: UInt8
        var category: UInt8
        var product: UInt8
        var coupon: Int8  // -1: none
        var paid: Bool
        var isNewProduct: Bool { Int(product) >= DemoCatalog.regularProducts }
    }

    /// One event row (`events`); strings are indices into ``DemoCatalog``.
    struct Event {
        var ts: Int64
        var type: UInt8
        var category: Int8  // -1: none
        var keyword: Int8  // -1: none
        var props: Int16  // index into DemoCatalog.props
    }

    private static let day: Int64 = 86_400

    let seed: UInt64
    let asOf: Int64
    let orderScale: Double
    let eventScale: Double
    let ordersEnabled: Bool
    let eventsEnabled: Bool
    private let wechatPrefix: String

    private(set) var member = Member()
    private(set) var identities: [Identity] = []
    private(set) var orders: [Order] = []
    private(set) var events: [Event] = []
    private var rng = DemoRandom(seed: 0)

    /// The row id of the next further account (``accounts``); `nil`: people have one account.
    var nextAccountID: Int64?
    /// The person's further channel accounts, member rows of their own (``DemoGenerator/Options/accounts``).
    var accounts: [Account] = []
    /// Which account holds each order and event (0 the member itself, `i` the `i`-th of ``accounts``);
    /// empty when the member holds them all.
    var orderAccounts: [Int] = []
    var eventAccounts: [Int] = []

    /// Creates a builder for `asOf` (epoch seconds) with averages
    /// `ordersPerMember` / `eventsPerMember`; a zero average disables that
    /// table entirely.
    init(seed: UInt64, asOf: Int64, ordersPerMember: Double, eventsPerMember: Double) {
        self.seed = seed
        self.asOf = asOf
        ordersEnabled = ordersPerMember > 0
        eventsEnabled = eventsPerMember > 0
        orderScale = DemoArchetype.scale(target: ordersPerMember, minimum: \.minOrders, extra: \.extraOrders)
        eventScale = DemoArchetype.scale(target: eventsPerMember, minimum: \.minEvents, extra: \.extraEvents)
        var setup = DemoRandom(seed: seed, stream: .max)
        wechatPrefix = DemoText.base64("o", setup.next(), chars: 5, 0, chars: 0)
        identities.reserveCapacity(4)
        orders.reserveCapacity(64)
        events.reserveCapacity(256)
    }

    // MARK: Building

    /// Replaces the buffers with member `id`.
    mutating func build(id: Int64) {
        rng = DemoRandom(seed: seed, stream: UInt64(id))
        identities.removeAll(keepingCapacity: true)
        orders.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)

        let archetype = DemoArchetype(rawValue: DemoArchetype.mix.pick(&rng))!
        member.id = id
        member.archetype = archetype
        member.externalID = DemoText.padded("M", UInt64(id), width: 7)
        member.channel = DemoCatalog.channelWeights.pick(&rng)
        member.gender = DemoCatalog.genderWeights.pick(&rng)
        member.region = DemoCatalog.regionWeights.pick(&rng)
        member.preferredCategory = DemoCatalog.categoryWeights.pick(&rng)
        member.birthday = birthday()
        member.level = level(archetype)

        // The single order of a new customer fixes its registration time.
        var firstOrderTS: Int64 = 0
        switch archetype {
        case .lapsed:
            member.registeredAt = registration(from: asOf - 730 * Self.day, to: asOf - 200 * Self.day)
        case .newOneTime:
            firstOrderTS = rng.int64(asOf - 29 * Self.day, asOf - 600)
            member.registeredAt = max(asOf - 730 * Self.day, firstOrderTS - rng.int64(600, 30 * Self.day))
        case .loyal:
            member.registeredAt = registration(from: asOf - 730 * Self.day, to: asOf - 90 * Self.day)
        default:
            member.registeredAt = registration(from: asOf - 730 * Self.day, to: asOf - Self.day)
        }
        member.updatedAt = rng.chance(0.3) ? rng.int64(member.registeredAt, asOf) : member.registeredAt

        makeIdentities()
        member.attrs = attrs()
        if ordersEnabled { makeOrders(archetype, newOrderTS: firstOrderTS) }
        if eventsEnabled { makeEvents(archetype) }
        if nextAccountID != nil { makeAccounts() }
    }

    /// A registration time in `lo...hi`, denser towards `hi` (recent growth).
    private mutating func registration(from lo: Int64, to hi: Int64) -> Int64 {
        var t = rng.unit()
        if rng.chance(0.6) { t = max(t, rng.unit()) }
        return lo + Int64(Double(hi - lo) * t)
    }

    /// A birthday for an age of 18 to 70, most members 30 to 50.
    private mutating func birthday() -> String {
        let age = 18 + Int64((rng.unit() + rng.unit() + rng.unit()) / 3 * 53)
        let today = asOf / Self.day
        return DemoText.date(daysSinceEpoch: today - (age * 365 + age / 4) - 1 - Int64(rng.below(364)))
    }

    private mutating func level(_ archetype: DemoArchetype) -> Int {
        var level = 1 + DemoCatalog.levelWeights.pick(&rng)
        switch archetype {
        case .loyal: level += 1 + rng.below(2)
        case .bigSpender: level += 2
        default: break
        }
        return min(level, 5)
    }

    // MARK: Identities

    private mutating func makeIdentities() {
        let primary = DemoCatalog.registrationIdentity[member.channel]
        var channels = [primary]
        let extra = rng.chance(0.5) ? 0 : (rng.chance(0.7) ? 1 : 2)
        while channels.count < 1 + extra {
            let candidate = rng.below(DemoCatalog.identityChannels.count)
            if !channels.contains(candidate) { channels.append(candidate) }
        }
        for channel in channels.sorted() {
            let value = identityValue(channel)
            identities.append(Identity(channel: channel, value: value))
        }
    }

    /// A per-member identity text. Values grow with the member id (a
    /// random step per member), so distinct members get distinct values and
    /// the `identities` primary key is filled by appends, not random inserts
    /// (which would dominate the generation time of a million members).
    private mutating func identityValue(_ channel: Int) -> String {
        let id = UInt64(member.id)
        switch channel {
        case DemoCatalog.idWechat:
            // `o` + 5 account characters + 6 ordered + 16 random = 28, like an openid.
            let key = id &* 16_411 &+ UInt64(rng.below(16_411))
            return DemoText.base64(wechatPrefix, key, chars: 6, rng.next(), chars: 10)
                + DemoText.base64("", rng.next(), chars: 6, 0, chars: 0)
        case DemoCatalog.idPhone:
            // 13xxxxxxxxx up to about 1M members, 14... beyond.
            return DemoText.padded("1", 3_000_000_000 &+ id &* 953 &+ UInt64(rng.below(953)), width: 10)
        case DemoCatalog.idTmall:
            return DemoText.padded("tb", 1_000_000_000 &+ id &* 4_099 &+ UInt64(rng.below(4_099)), width: 10)
        default:
            // 36^7 * 10: a leading `a` up to about 2M members.
            return DemoText.base36("jd_", 783_641_640_960 &+ id &* 34_981 &+ UInt64(rng.below(34_981)), chars: 8)
        }
    }

    /// `attrs` JSON: `{}` for most members, a few keys for about a quarter.
    private mutating func attrs() -> String {
        guard rng.chance(0.25) else { return "{}" }
        var parts: [String] = []
        if identities.contains(where: { $0.channel == DemoCatalog.idWechat }) {
            parts.append(rng.chance(0.7) ? "\"wechat_follower\":true" : "\"wechat_follower\":false")
        }
        if rng.chance(0.6) {
            let occupation = DemoCatalog.occupations[rng.below(DemoCatalog.occupations.count)]
            parts.append("\"occupation\":\"" + occupation + "\"")
        }
        if member.preferredCategory == DemoCatalog.pet, rng.chance(0.7) {
            parts.append(rng.chance(0.6) ? "\"pet\":\"cat\"" : "\"pet\":\"dog\"")
        }
        if rng.chance(0.15) || parts.isEmpty {
            parts.append("\"newsletter\":" + (rng.chance(0.5) ? "true" : "false"))
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    // MARK: Orders

    private mutating func makeOrders(_ archetype: DemoArchetype, newOrderTS: Int64) {
        var count = archetype.minOrders + rng.poisson(orderScale * archetype.extraOrders)
        let registered = member.registeredAt
        let latest = asOf - 600
        switch archetype {
        case .dormant, .neverBuyer:
            return
        case .newOneTime:
            orders.append(order(ts: newOrderTS, bigSpender: false))
            return
        case .loyal:
            // The most recent order is within the last 30 days.
            orders.append(order(ts: rng.int64(asOf - 29 * Self.day, latest), bigSpender: false))
            for _ in 1..<max(count, 1) {
                orders.append(order(ts: recent(registered + 3_600, latest, bias: 0.8), bigSpender: false))
            }
        case .lapsed:
            let last = asOf - 181 * Self.day
            for _ in 0..<count {
                orders.append(order(ts: rng.int64(registered + 3_600, last), bigSpender: false))
            }
        case .interest:
            // Only old orders, never in the last 30 days.
            let last = asOf - 30 * Self.day
            if last <= registered + 3_600 { count = 0 }
            for _ in 0..<count {
                orders.append(order(ts: rng.int64(registered + 3_600, last), bigSpender: false))
            }
        case .bigSpender, .regular:
            for _ in 0..<count {
                orders.append(order(ts: recent(registered + 600, latest, bias: 0.9), bigSpender: archetype == .bigSpender))
            }
        }
        orders.sort { $0.ts < $1.ts }
    }

    /// A time in `lo...hi`, denser towards `hi` when `bias < 1`.
    @inline(__always)
    private mutating func recent(_ lo: Int64, _ hi: Int64, bias: Double) -> Int64 {
        guard hi > lo else { return lo }
        return lo + Int64(Double(hi - lo) * pow(rng.unit(), bias))
    }

    private mutating func category(preferredShare: Double) -> Int {
        rng.chance(preferredShare) ? member.preferredCategory : DemoCatalog.categoryWeights.pick(&rng)
    }

    private mutating func order(ts: Int64, bigSpender: Bool) -> Order {
        let category = self.category(preferredShare: 0.65)
        var amount = DemoCatalog.medianAmount[category] * exp(DemoCatalog.amountSigma[category] * rng.normal())
        if bigSpender { amount *= 4 + 6 * rng.unit() }
        amount = max(1, (amount * 100).rounded() / 100)
        let channel = rng.chance(DemoCatalog.sameChannelRate) ? member.channel : DemoCatalog.orderChannelWeights.pick(&rng)
        let product: Int
        if rng.chance(DemoCatalog.newProductRate) {
            product = DemoCatalog.regularProducts + rng.below(DemoCatalog.newProducts)
        } else {
            let u = rng.unit()
            product = Int(u * u * Double(DemoCatalog.regularProducts))
        }
        let coupon = rng.chance(DemoCatalog.couponRate) ? Int8(DemoCatalog.couponWeights.pick(&rng)) : -1
        let paid = !rng.chance(DemoCatalog.unpaidRate[category])
        return Order(
            ts: ts, amount: amount, channel: UInt8(channel), category: UInt8(category),
            product: UInt8(product), coupon: coupon, paid: paid)
    }

    // MARK: Events

    private mutating func makeEvents(_ archetype: DemoArchetype) {
        guard archetype != .dormant else { return }
        var budget = archetype.minEvents + rng.poisson(eventScale * archetype.extraEvents)
        let registered = member.registeredAt
        let latest = asOf - 1

        // Interest users: carts and favourites in the last 7 days.
        if archetype == .interest {
            let recentCount = min(budget, 1 + rng.below(3))
            for _ in 0..<recentCount {
                let type = rng.chance(0.55) ? DemoCatalog.cart : DemoCatalog.favourite
                let ts = rng.int64(max(registered, asOf - 7 * Self.day + 3_600), latest)
                events.append(event(type: type, ts: ts, category: self.category(preferredShare: 0.75)))
            }
            budget -= recentCount
        }

        // Browsing (and sometimes a cart) shortly before an order.
        for order in orders where budget > 0 && rng.chance(0.6) {
            let browseTS = max(registered, order.ts - rng.int64(300, 7_200))
            events.append(event(type: DemoCatalog.browse, ts: browseTS, category: Int(order.category)))
            budget -= 1
            if budget > 0, rng.chance(0.4) {
                let cartTS = max(browseTS, order.ts - rng.int64(30, 290))
                events.append(event(type: DemoCatalog.cart, ts: cartTS, category: Int(order.category)))
                budget -= 1
            }
        }

        // The rest over the member's active window.
        let lo: Int64
        let hi: Int64
        switch archetype {
        case .lapsed:
            lo = registered
            hi = asOf - 181 * Self.day
        case .interest:
            // Recent browsing; interest users have no order in the last 30 days.
            lo = max(registered, asOf - 21 * Self.day)
            hi = latest
        default:
            lo = registered
            hi = latest
        }
        let weights = archetype == .interest ? DemoCatalog.interestEventTypeWeights : DemoCatalog.eventTypeWeights
        while budget > 0 {
            let ts = recent(lo, max(lo, hi), bias: 0.7)
            let type: UInt8
            if archetype == .neverBuyer {
                type = rng.chance(0.75) ? DemoCatalog.browse : DemoCatalog.signIn
            } else {
                type = UInt8(weights.pick(&rng))
            }
            events.append(event(type: type, ts: ts, category: self.category(preferredShare: 0.6)))
            budget -= 1
        }
        events.sort { $0.ts < $1.ts }
    }

    private mutating func event(type: UInt8, ts: Int64, category: Int) -> Event {
        var eventCategory: Int8 = -1
        var keyword: Int8 = -1
        var props: Int16 = 0
        switch type {
        case DemoCatalog.browse:
            eventCategory = Int8(category)
            if rng.chance(DemoCatalog.dwellRate) {
                let u = rng.unit()
                props = Int16(3 + Int(u * u * Double(DemoCatalog.maxDwell - 3)))
            }
        case DemoCatalog.cart, DemoCatalog.favourite:
            eventCategory = Int8(category)
        case DemoCatalog.search:
            eventCategory = Int8(category)
            keyword = Int8(rng.below(DemoCatalog.keywords[category].count))
        default:
            break
        }
        return Event(ts: ts, type: type, category: eventCategory, keyword: keyword, props: props)
    }
}
