import Foundation
import GRDB
import TagEngine

/// The home page's model: every tag and segment, those matching the query
/// shown, and the category tree.
struct HomeView {
    struct Result {
        var name: String
        var kind: String
        var title: String
        var category: String
        var state: String
        var coverage: String
        var holders: String
        var lastRun: String
        /// Lower-cased name, title, category, description and owner: what the search matches.
        var haystack: String
        var hidden: Bool
    }

    var query: String
    var shown: Int
    var total: Int
    var results: [Result]
    var tree: [CategoryTree.Node]

    /// Whether every word of `query` occurs in `haystack` (both lower-cased).
    static func matches(_ haystack: String, query: String) -> Bool {
        query.lowercased().split(whereSeparator: \.isWhitespace).allSatisfy { haystack.contains($0) }
    }

    static func build(query: String, overview: [TagOverview], files: [RuleFile], holders: [String: Int], members: Int, tags: [String: TagRow])
        -> HomeView
    {
        let summaries = Dictionary(files.compactMap { try? $0.outcome.get() }.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let results = overview.map { tag -> Result in
            let summary = summaries[tag.name]
            let title = tag.title ?? summary?.title ?? ""
            let category = tag.category ?? summary?.category ?? ""
            let haystack = [tag.name, title, category, summary?.description ?? "", summary?.owner ?? ""].joined(separator: " ").lowercased()
            let holders = holders[tag.name]
            return Result(
                name: tag.name, kind: tags[tag.name]?.kind ?? "tag",
                title: title, category: category, state: tag.orphaned ? "orphaned" : tag.state,
                coverage: holders.map { members == 0 ? "—" : HTMLText.percent(Double($0) / Double(members)) } ?? "—",
                holders: holders.map { "\(HTMLText.count($0)) members" } ?? "",
                lastRun: tag.lastRun.map { "\(Formatting.time($0.asOf)) · \($0.status)" } ?? "never", haystack: haystack,
                hidden: !matches(haystack, query: query))
        }
        let tree = CategoryTree.build(
            overview.map { ($0.category ?? summaries[$0.name]?.category ?? "", CategoryTree.Leaf(name: $0.name, title: $0.title ?? "")) })
        return HomeView(query: query, shown: results.filter { !$0.hidden }.count, total: results.count, results: results, tree: tree)
    }
}
