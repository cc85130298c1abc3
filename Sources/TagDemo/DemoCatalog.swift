/// Static vocabularies and distributions of the demo data set written by
/// ``DemoGenerator``: channels, regions, categories, products, keywords,
/// coupons, event types.
///
/// Everything is precomputed once (product names, `{"dwell":N}` props) so
/// the per-row work of the generator is only random draws and binding.
enum DemoCatalog {
    // MARK: Members

    /// Registration channels (`members.channel`).
    static let channels = ["wechat", "app", "tmall", "jd", "store", "web"]
    /// Registration channel weights (wechat biggest, web smallest).
    static let channelWeights = DemoWeights([0.30, 0.22, 0.16, 0.12, 0.14, 0.06])

    /// Identity channels (`identities.channel`): WeChat openid, mobile phone,
    /// Tmall and JD account names.
    static let identityChannels = ["wechat", "phone", "tmall", "jd"]
    /// Indices into ``identityChannels``.
    static let idWechat = 0, idPhone = 1, idTmall = 2, idJD = 3
    /// Identity channel of each registration channel (app, store and web
    /// register by phone number).
    static let registrationIdentity = [idWechat, idPhone, idTmall, idJD, idPhone, idPhone]

    /// Regions (`members.region`); south and east are the biggest.
    static let regions = ["north", "south", "east", "west", "central"]
    /// Region weights.
    static let regionWeights = DemoWeights([0.18, 0.30, 0.28, 0.10, 0.14])

    /// Genders (`members.gender`).
    static let genders = ["f", "m", "unknown"]
    /// Gender weights.
    static let genderWeights = DemoWeights([0.55, 0.38, 0.07])

    /// Level weights for levels 1...5, skewed to low levels.
    static let levelWeights = DemoWeights([0.45, 0.28, 0.15, 0.08, 0.04])

    /// Occupations used in `members.attrs`.
    static let occupations = [
        "teacher", "engineer", "nurse", "student", "designer", "sales", "retired", "civil_servant",
        "doctor", "freelancer",
    ]

    // MARK: Categories and products

    /// Product categories, for orders and events; `pet` is "category A" of
    /// the campaign rules.
    static let categories = ["apparel", "beauty", "electronics", "grocery", "home", "sports", "books", "baby", "pet"]
    /// Index of `pet` in ``categories``.
    static let pet = 8
    /// How likely a category is to be a member's preferred one, or picked
    /// outside the preferred one.
    static let categoryWeights = DemoWeights([0.18, 0.14, 0.10, 0.14, 0.10, 0.08, 0.06, 0.08, 0.12])
    /// Median order amount per category (the log-normal's `exp(mu)`).
    static let medianAmount: [Double] = [180, 220, 900, 65, 260, 300, 45, 150, 120]
    /// Log-normal sigma of order amounts per category.
    static let amountSigma: [Double] = [0.6, 0.5, 0.8, 0.5, 0.7, 0.6, 0.4, 0.6, 0.6]
    /// Share of unpaid orders per category (pet has more abandoned payments).
    static let unpaidRate: [Double] = [0.035, 0.035, 0.04, 0.03, 0.035, 0.035, 0.03, 0.035, 0.09]

    /// Regular products per category: `<category>-0001` ... `-0100`.
    static let regularProducts = 100
    /// New products per category: `<category>-0101` ... `-0120`.
    static let newProducts = 20
    /// Share of orders on a new product (`is_new_product = 1`).
    static let newProductRate = 0.15
    /// Product names, `products[category][index]` with index 0 = `-0001`.
    static let products: [[String]] = categories.map { category in
        (1...(regularProducts + newProducts)).map { number in
            let digits = String(number)
            return category + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        }
    }

    /// Search keywords per category (`events.keyword`).
    static let keywords: [[String]] = [
        ["dress", "jeans", "down jacket", "sneakers", "t-shirt"],
        ["lipstick", "serum", "sunscreen", "face mask", "perfume"],
        ["earbuds", "phone case", "power bank", "smartwatch", "laptop"],
        ["coffee", "snacks", "rice", "olive oil", "green tea"],
        ["bedding", "storage box", "air purifier", "towel", "cookware"],
        ["yoga mat", "running shoes", "dumbbell", "tent", "cycling jersey"],
        ["novel", "cookbook", "picture book", "manga", "self-help"],
        ["diapers", "formula", "stroller", "baby wipes", "teether"],
        ["cat food", "dog food", "cat litter", "pet bed", "dog leash", "pet treats"],
    ]

    // MARK: Orders

    /// Sales channels of orders (same names as registration channels).
    static let orderChannelWeights = DemoWeights([0.26, 0.26, 0.18, 0.12, 0.13, 0.05])
    /// Share of orders placed through the member's registration channel.
    static let sameChannelRate = 0.55
    /// Coupon codes (`orders.coupon`).
    static let coupons = ["C10", "C20", "FREESHIP"]
    /// Coupon code weights.
    static let couponWeights = DemoWeights([0.45, 0.25, 0.30])
    /// Share of orders using a coupon.
    static let couponRate = 0.20

    // MARK: Events

    /// Event types (`events.type`).
    static let eventTypes = ["browse", "cart", "favourite", "search", "sign_in", "share", "coupon_claim"]
    /// Indices into ``eventTypes``.
    static let browse: UInt8 = 0, cart: UInt8 = 1, favourite: UInt8 = 2, search: UInt8 = 3
    static let signIn: UInt8 = 4, share: UInt8 = 5, couponClaim: UInt8 = 6
    /// Event type weights for active members (browse most).
    static let eventTypeWeights = DemoWeights([0.55, 0.10, 0.06, 0.12, 0.12, 0.03, 0.02])
    /// Event type weights for interest users (more carts and favourites).
    static let interestEventTypeWeights = DemoWeights([0.45, 0.18, 0.14, 0.13, 0.06, 0.02, 0.02])
    /// Share of `browse` events carrying `{"dwell":N}` props.
    static let dwellRate = 0.12
    /// Largest dwell time in seconds.
    static let maxDwell = 300
    /// `props` JSON texts: index 0 is `{}`, index `n` is `{"dwell":n}`.
    static let props: [String] = ["{}"] + (1...maxDwell).map { "{\"dwell\":\($0)}" }
}
