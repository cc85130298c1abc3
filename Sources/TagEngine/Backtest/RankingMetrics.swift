/// How well a ranking separates positives from negatives: the figures a
/// backtest prints for a score or a flag and for its naive baseline.
/// Ties are shared fairly: tied members count as if ordered at random.
enum RankingMetrics {
    /// The area under the ROC curve of `scores` (higher: more likely
    /// positive) against `positive`: the probability that a random positive
    /// ranks above a random negative, ties counting one half (Mann-Whitney,
    /// with mid-ranks). `nil` without both positives and negatives.
    static func auc(_ scores: [Double], _ positive: [Bool]) -> Double? {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        let positives = positive.lazy.filter { $0 }.count
        let negatives = positive.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        var rankSum = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let midRank = Double(i + j) / 2 + 1
            for k in i...j where positive[order[k]] { rankSum += midRank }
            i = j + 1
        }
        let p = Double(positives)
        return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
    }

    /// The expected number of positives among the `k` highest `scores`
    /// (a tie group straddling the cut contributes in proportion).
    static func positivesInTop(_ k: Int, _ scores: [Double], _ positive: [Bool]) -> Double {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var taken = 0
        var found = 0.0
        var i = 0
        while i < order.count, taken < k {
            var j = i
            while j + 1 < order.count, scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let group = j - i + 1
            let hits = (i...j).filter { positive[order[$0]] }.count
            let take = min(group, k - taken)
            found += Double(hits) * Double(take) / Double(group)
            taken += take
            i = j + 1
        }
        return found
    }

    /// Positives in the top tenth over the positives' overall share.
    static func topDecileLift(_ scores: [Double], _ positive: [Bool]) -> Double? {
        let k = max(1, scores.count / 10)
        let base = Double(positive.lazy.filter { $0 }.count) / Double(max(scores.count, 1))
        guard base > 0, !scores.isEmpty else { return nil }
        return positivesInTop(k, scores, positive) / Double(k) / base
    }
}
