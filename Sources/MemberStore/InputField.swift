/// The fields (CSV columns / JSON keys) the decoder understands, per kind.
enum InputField: Int, CaseIterable, Sendable {
    case id, member, channel, registeredAt, gender, region, birthday, level
    case attrs, identities
    case ts, amount, category, product, isNewProduct, coupon, paid
    case type, keyword, props

    /// The column / key name, e.g. `registered_at`.
    var name: String { Self.names[rawValue] }

    private static let names = [
        "id", "member", "channel", "registered_at", "gender", "region", "birthday", "level",
        "attrs", "identities",
        "ts", "amount", "category", "product", "is_new_product", "coupon", "paid",
        "type", "keyword", "props",
    ]

    private static let byName: [String: InputField] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.name, $0) })

    /// Prefix of columns holding a channel identity (`id_wechat`).
    static let identityPrefix = "id_"

    /// Whether `name` is an `id_<channel>` column.
    static func isIdentityColumn(_ name: String) -> Bool {
        name.hasPrefix(identityPrefix) && name.count > identityPrefix.count
    }

    /// The fields of a kind; `id_<channel>` columns go to `identities`, other
    /// columns to `attrs` / `props`.
    static func known(for kind: RecordKind) -> [InputField] {
        switch kind {
        case .members: [.member, .channel, .registeredAt, .gender, .region, .birthday, .level, .attrs, .identities]
        case .orders: [.id, .member, .ts, .amount, .channel, .category, .product, .isNewProduct, .coupon, .paid, .props, .identities]
        case .events: [.id, .member, .ts, .type, .category, .keyword, .props, .identities]
        }
    }

    /// The fields a row (and a CSV header) must have (`member` may be
    /// replaced by channel identities: `identities`, `id_<channel>`).
    static func required(for kind: RecordKind) -> [InputField] {
        switch kind {
        case .members: [.member]
        case .orders: [.member, .ts]
        case .events: [.member, .ts, .type]
        }
    }

    /// Looks up a field of `kind` by column name.
    static func named(_ name: String, in kind: RecordKind) -> InputField? {
        guard let field = byName[name], known(for: kind).contains(field) else { return nil }
        return field
    }
}
