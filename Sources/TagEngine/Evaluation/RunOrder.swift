/// Orders rules so that every rule runs after the rules whose tags it reads
/// (a cycle is an error naming it).
public enum RunOrder {
    /// `rules` sorted by dependency (ties by name), or an error naming a cycle.
    public static func sort<T>(_ rules: [T], name: (T) -> String, dependencies: (T) -> [String]) throws -> [T] {
        let byName = Dictionary(rules.map { (name($0), $0) }, uniquingKeysWith: { first, _ in first })
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var ordered: [T] = []
        func visit(_ current: String, path: [String]) throws {
            if state[current] == 2 { return }
            if state[current] == 1 {
                let cycle = path.drop(while: { $0 != current }) + [current]
                throw LifecycleError("dependency cycle: \(cycle.joined(separator: " -> "))")
            }
            guard let rule = byName[current] else { return }
            state[current] = 1
            for dependency in dependencies(rule).sorted() { try visit(dependency, path: path + [current]) }
            state[current] = 2
            ordered.append(rule)
        }
        for rule in rules.sorted(by: { name($0) < name($1) }) { try visit(name(rule), path: []) }
        return ordered
    }
}
