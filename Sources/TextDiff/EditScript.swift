/// Which lines of two sequences are deleted and inserted in a shortest edit
/// script, found with Myers' O(ND) algorithm in linear space (recursing on the
/// middle snake, as in "An O(ND) Difference Algorithm and Its Variations", 4b).
struct EditScript: Sendable {
    /// `deleted[i]`: line `i` of the old sequence is not kept.
    private(set) var deleted: [Bool]
    /// `inserted[j]`: line `j` of the new sequence is not kept.
    private(set) var inserted: [Bool]

    /// Compares two sequences.
    init<Element: Hashable>(old: [Element], new: [Element]) {
        // Compare small integers instead of the elements.
        var codes: [Element: Int] = [:]
        for element in old + new where codes[element] == nil { codes[element] = codes.count }
        let x = old.map { codes[$0] ?? -1 }, y = new.map { codes[$0] ?? -1 }
        deleted = Array(repeating: false, count: x.count)
        inserted = Array(repeating: false, count: y.count)
        compare(x, 0, x.count, y, 0, y.count)
    }

    /// Marks the changes between `x[xLow..<xHigh]` and `y[yLow..<yHigh]`.
    private mutating func compare(_ x: [Int], _ xLow: Int, _ xHigh: Int, _ y: [Int], _ yLow: Int, _ yHigh: Int) {
        var xLow = xLow, xHigh = xHigh, yLow = yLow, yHigh = yHigh
        while xLow < xHigh, yLow < yHigh, x[xLow] == y[yLow] { xLow += 1; yLow += 1 }
        while xLow < xHigh, yLow < yHigh, x[xHigh - 1] == y[yHigh - 1] { xHigh -= 1; yHigh -= 1 }
        if xLow == xHigh {
            for j in yLow..<yHigh { inserted[j] = true }
        } else if yLow == yHigh {
            for i in xLow..<xHigh { deleted[i] = true }
        } else if let (xMid, yMid) = Self.middleSnake(x, xLow, xHigh, y, yLow, yHigh),
            (xMid, yMid) != (xLow, yLow), (xMid, yMid) != (xHigh, yHigh) {
            compare(x, xLow, xMid, y, yLow, yMid)
            compare(x, xMid, xHigh, y, yMid, yHigh)
        } else {
            for i in xLow..<xHigh { deleted[i] = true }
            for j in yLow..<yHigh { inserted[j] = true }
        }
    }

    /// A point on a shortest edit path through the middle, where it can be split
    /// in two; `nil` when the ranges have nothing in common.
    private static func middleSnake(_ x: [Int], _ xLow: Int, _ xHigh: Int, _ y: [Int], _ yLow: Int, _ yHigh: Int) -> (Int, Int)? {
        let n = xHigh - xLow, m = yHigh - yLow
        let maxD = (n + m + 1) / 2
        let offset = maxD, width = 2 * maxD + 2
        var forward = Array(repeating: -1, count: width), backward = Array(repeating: -1, count: width)
        forward[offset + 1] = 0
        backward[offset + 1] = 0
        let delta = n - m
        let checkForward = delta % 2 != 0
        var forwardStart = 0, forwardEnd = 0, backwardStart = 0, backwardEnd = 0
        for d in 0..<maxD {
            for k in stride(from: -d + forwardStart, through: d - forwardEnd, by: 2) {
                let index = offset + k
                var px = k == -d || (k != d && forward[index - 1] < forward[index + 1]) ? forward[index + 1] : forward[index - 1] + 1
                var py = px - k
                while px < n, py < m, x[xLow + px] == y[yLow + py] { px += 1; py += 1 }
                forward[index] = px
                if px > n {
                    forwardEnd += 2
                } else if py > m {
                    forwardStart += 2
                } else if checkForward {
                    let other = offset + delta - k
                    if other >= 0, other < width, backward[other] != -1, px >= n - backward[other] {
                        return (xLow + px, yLow + py)
                    }
                }
            }
            for k in stride(from: -d + backwardStart, through: d - backwardEnd, by: 2) {
                let index = offset + k
                var px = k == -d || (k != d && backward[index - 1] < backward[index + 1]) ? backward[index + 1] : backward[index - 1] + 1
                var py = px - k
                while px < n, py < m, x[xHigh - 1 - px] == y[yHigh - 1 - py] { px += 1; py += 1 }
                backward[index] = px
                if px > n {
                    backwardEnd += 2
                } else if py > m {
                    backwardStart += 2
                } else if !checkForward {
                    let other = offset + delta - k
                    if other >= 0, other < width, forward[other] != -1 {
                        let fx = forward[other]
                        let fy = fx - (other - offset)
                        if fx >= n - px { return (xLow + fx, yLow + fy) }
                    }
                }
            }
        }
        return nil
    }
}
