/// What a user may do. Each role includes the ones below it.
///
/// - `operator`: propose, plan, read.
/// - `approver`: approve and reject proposals (and everything an operator does).
/// - `admin`: retire, restore, manage users and settings (and everything else).
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    /// Proposes, plans and reads.
    case `operator`
    /// Also approves and rejects proposals.
    case approver
    /// Also retires and restores tags, and manages users and settings.
    case admin

    private var rank: Int {
        switch self {
        case .operator: 0
        case .approver: 1
        case .admin: 2
        }
    }

    /// Orders roles by rank: `operator` < `approver` < `admin`.
    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
