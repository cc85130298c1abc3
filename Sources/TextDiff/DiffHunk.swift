/// One `@@ -a,b +c,d @@` section of a unified diff.
struct DiffHunk: Sendable {
    /// The steps the hunk shows, kept context included.
    let steps: ArraySlice<EditScript.Operation>

    /// A hunk showing `steps` (not empty).
    init(_ steps: ArraySlice<EditScript.Operation>) {
        self.steps = steps
    }

    /// `@@ -a,b +c,d @@`, with `diff -u` conventions: a count of 1 is left out, and
    /// an empty side gives the line before it (`-0,0` for an empty old text).
    var header: String {
        let oldCount = steps.count(where: { $0.kind != .insert })
        let newCount = steps.count(where: { $0.kind != .delete })
        let first = steps[steps.startIndex]
        return "@@ -\(Self.range(first.old, oldCount)) +\(Self.range(first.new, newCount)) @@"
    }

    /// Each shown line with its prefix: `" "` kept, `"-"` deleted, `"+"` inserted.
    func lines(old: [LineDiff.Line], new: [LineDiff.Line]) -> [(String, LineDiff.Line)] {
        steps.map { step in
            switch step.kind {
            case .keep: (" ", old[step.old])
            case .delete: ("-", old[step.old])
            case .insert: ("+", new[step.new])
            }
        }
    }

    /// `start,count` for a range starting at zero-based `index`.
    private static func range(_ index: Int, _ count: Int) -> String {
        switch count {
        case 0: "\(index),0"
        case 1: "\(index + 1)"
        default: "\(index + 1),\(count)"
        }
    }
}
