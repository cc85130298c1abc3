/// Unified diffs of two texts by lines, as `diff -u` prints them.
///
/// Lines are compared exactly, including whether the last one ends with a
/// newline (a missing one is marked `\ No newline at end of file`). The edit
/// script is a shortest one, found with Myers' linear-space algorithm.
public enum LineDiff {
    /// The unified diff turning `old` into `new`, with `context` unchanged lines
    /// around each change; hunks closer than twice that are merged. Empty when
    /// the texts are equal.
    ///
    /// ```
    /// --- rules/a.lua
    /// +++ rules/a.lua
    /// @@ -2,3 +2,3 @@
    ///  kind = "flag",
    /// -refresh = "hourly",
    /// +refresh = "daily",
    ///  evaluate = ...
    /// ```
    public static func unified(old: String, new: String, oldName: String, newName: String, context: Int = 3) -> String {
        guard old != new else { return "" }
        let oldLines = lines(of: old), newLines = lines(of: new)
        let script = EditScript(old: oldLines, new: newLines)
        var output = "--- \(oldName)\n+++ \(newName)\n"
        for hunk in script.hunks(context: max(0, context)) {
            output += hunk.header + "\n"
            for (kind, line) in hunk.lines(old: oldLines, new: newLines) {
                output += kind + line.text + "\n"
                if !line.hasNewline { output += "\\ No newline at end of file\n" }
            }
        }
        return output
    }

    /// One line of a text.
    struct Line: Hashable {
        /// The line without its newline.
        let text: Substring
        /// False only for a last line that does not end with a newline.
        let hasNewline: Bool
    }

    /// The lines of `text`; a trailing newline does not start an empty line.
    static func lines(of text: String) -> [Line] {
        var pieces = text.split(separator: "\n", omittingEmptySubsequences: false)
        let endsWithNewline = pieces.last == ""
        if endsWithNewline { pieces.removeLast() }
        return pieces.enumerated().map { index, piece in
            Line(text: piece, hasNewline: endsWithNewline || index < pieces.count - 1)
        }
    }
}
