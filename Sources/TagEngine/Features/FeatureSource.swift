/// A table features aggregate over, with its columns and their types.
public enum FeatureSource: String, Sendable, Hashable, CaseIterable {
    /// The `orders` table: one row per order.
    case orders
    /// The `events` table: one row per behaviour event.
    case events

    /// The type of a column, which decides what a feature over it returns.
    public enum ColumnType: Sendable, Hashable {
        /// SQLite INTEGER, REAL, a 0 / 1 INTEGER read as a boolean, or TEXT.
        case integer, real, bool, text
    }

    /// The columns a rule may name (`orders.amount`) and their types.
    public var columns: [String: ColumnType] {
        switch self {
        case .orders:
            return [
                "ts": .integer, "amount": .real, "channel": .text, "category": .text, "product": .text,
                "is_new_product": .bool, "coupon": .text, "paid": .bool,
            ]
        case .events:
            return ["ts": .integer, "type": .text, "category": .text, "keyword": .text]
        }
    }
}
