import Foundation

/// The category tree of the home page: `value/rfm` is node `rfm` under node
/// `value`; each node counts the tags at or below it.
struct CategoryTree {
    /// A tag listed under its category.
    struct Leaf {
        var name: String
        var title: String
    }

    /// One node, as the template reads it.
    struct Node {
        var label: String
        var path: String
        var count: Int
        var tags: [Leaf]
        var hasTags: Bool
        var children: [Node]
    }

    /// The tree of `entries` (category path, tag), at most `depth` levels
    /// (deeper paths are folded into their third level).
    static func build(_ entries: [(category: String, leaf: Leaf)], depth: Int = 3) -> [Node] {
        final class Builder {
            var children: [String: Builder] = [:]
            var tags: [Leaf] = []
            func node(label: String, path: String) -> Node {
                let kids = children.sorted { $0.key < $1.key }.map { $0.value.node(label: $0.key, path: path + "/" + $0.key) }
                return Node(
                    label: label, path: path, count: tags.count + kids.reduce(0) { $0 + $1.count },
                    tags: tags.sorted { $0.name < $1.name }, hasTags: !tags.isEmpty, children: kids)
            }
        }
        let root = Builder()
        for entry in entries {
            var parts = entry.category.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if parts.isEmpty { parts = ["(no category)"] }
            var node = root
            for part in parts.prefix(depth) {
                if node.children[part] == nil { node.children[part] = Builder() }
                if let next = node.children[part] { node = next }
            }
            node.tags.append(entry.leaf)
        }
        return root.children.sorted { $0.key < $1.key }.map { $0.value.node(label: $0.key, path: $0.key) }
    }
}
