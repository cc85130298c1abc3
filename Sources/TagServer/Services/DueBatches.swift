/// Groups due tags so that tags reading one another (directly or through
/// others) share a run, and unrelated tags run apart.
enum DueBatches {
    static func split(_ tags: [(name: String, reads: [String])]) -> [[String]] {
        var parent = Dictionary(uniqueKeysWithValues: tags.map { ($0.name, $0.name) })
        func root(_ name: String) -> String {
            var name = name
            while let up = parent[name], up != name { name = up }
            return name
        }
        for tag in tags {
            for read in tag.reads where parent[read] != nil { parent[root(read)] = root(tag.name) }
        }
        var batches: [String: [String]] = [:]
        for tag in tags { batches[root(tag.name), default: []].append(tag.name) }
        return batches.values.map { $0 }.sorted { $0[0] < $1[0] }
    }
}
