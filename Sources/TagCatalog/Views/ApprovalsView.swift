import TagEngine
import TextDiff

/// The approvals page's model: every waiting proposal with its diff, and
/// the decision form for approvers.
struct ApprovalsView {
    struct DiffLine {
        /// `add`, `del`, `hunk` or `ctx`.
        var kind: String
        var text: String
    }
    struct Proposal {
        var name: String
        var title: String
        /// The full SHA-256 of the version shown: the form sends it back, and
        /// only that exact version is approved.
        var version: String
        var proposedBy: String
        var proposedAt: String
        var file: String
        var liveVersion: String?
        var diff: [DiffLine]
        var canDecide: Bool
        var csrf: String
    }

    var notice: String?
    var count: Int
    /// "1 proposal waits." or "N proposals wait." (templates see stored properties only).
    var waiting: String
    var role: String
    var canDecide: Bool
    var proposals: [Proposal]

    static func build(_ pending: [PendingProposal], session: WebSession, notice: String?) -> ApprovalsView {
        let canDecide = session.user.role >= .approver
        return ApprovalsView(
            notice: notice, count: pending.count,
            waiting: pending.count == 1 ? "1 proposal waits." : "\(pending.count) proposals wait.",
            role: session.user.role.rawValue, canDecide: canDecide,
            proposals: pending.map { p in
                Proposal(
                    name: p.tag.name, title: p.version.title ?? "", version: p.version.hash, proposedBy: p.version.proposedBy ?? "—",
                    proposedAt: Formatting.time(p.version.proposedAt), file: p.version.file, liveVersion: p.live?.shortHash,
                    diff: lines(
                        LineDiff.unified(
                            old: p.live?.source ?? "", new: p.version.source, oldName: p.live?.shortHash ?? "/dev/null",
                            newName: p.version.shortHash)),
                    canDecide: canDecide, csrf: session.csrf)
            })
    }

    /// A unified diff's lines, classified for colouring (`---`/`+++` are
    /// file names only before the first hunk: later they are a removed or
    /// added Lua comment).
    static func lines(_ diff: String) -> [DiffLine] {
        var inHunk = false
        return diff.split(separator: "\n", omittingEmptySubsequences: false).dropLast(diff.hasSuffix("\n") ? 1 : 0).map { line in
            let kind: String
            if line.hasPrefix("@@") {
                inHunk = true
                kind = "hunk"
            } else if !inHunk {
                kind = "hunk"
            } else {
                kind = line.hasPrefix("+") ? "add" : line.hasPrefix("-") ? "del" : "ctx"
            }
            return DiffLine(kind: kind, text: String(line))
        }
    }
}
