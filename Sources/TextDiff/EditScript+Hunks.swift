extension EditScript {
    /// One step of the script: keep, delete or insert a line.
    struct Operation: Sendable, Hashable {
        /// What the step does.
        enum Kind: Sendable, Hashable { case keep, delete, insert }
        /// What the step does.
        let kind: Kind
        /// Index of the old line at this step (the next one not yet consumed).
        let old: Int
        /// Index of the new line at this step (the next one not yet consumed).
        let new: Int
    }

    /// The script as steps, deletions before insertions within each change.
    var operations: [Operation] {
        var result: [Operation] = []
        var i = 0, j = 0
        while i < deleted.count || j < inserted.count {
            if i < deleted.count, deleted[i] {
                result.append(Operation(kind: .delete, old: i, new: j)); i += 1
            } else if j < inserted.count, inserted[j] {
                result.append(Operation(kind: .insert, old: i, new: j)); j += 1
            } else {
                result.append(Operation(kind: .keep, old: i, new: j)); i += 1; j += 1
            }
        }
        return result
    }

    /// The changes with `context` kept lines around each; changes separated by
    /// at most `2 * context` kept lines share a hunk.
    func hunks(context: Int) -> [DiffHunk] {
        let steps = operations
        let changes = steps.indices.filter { steps[$0].kind != .keep }
        guard var start = changes.first, var end = changes.first else { return [] }
        var result: [DiffHunk] = []
        for change in changes.dropFirst() {
            if change - end - 1 > 2 * context {
                result.append(DiffHunk(steps[max(0, start - context)...min(steps.count - 1, end + context)]))
                start = change
            }
            end = change
        }
        result.append(DiffHunk(steps[max(0, start - context)...min(steps.count - 1, end + context)]))
        return result
    }
}
