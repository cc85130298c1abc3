/// What a user may do. Each role includes the ones below it.
///
/// - `operator`: propose, plan, read.
/// - `approver`: approve and reject proposals (and everything an operator does).
/// - `admin`: retire, restore, manage users and settings (and everything else).
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case `operator`
    case approver
    case admin

    private var rank: Int {
        switch self {
        case .operator: 0
        case .approver: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
