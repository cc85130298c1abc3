/// Finds the tags a rule reads through `m.tags`: `tags.rfm_class` or
/// `tags["rfm_class"]` in its source. The host loads exactly those live
/// values, runs dependencies first, and refuses to retire a tag that an
/// active rule reads.
public enum RuleDependencies {
    /// Tag names the source reads, sorted and unique.
    public static func scan(_ source: String) -> [String] {
        var names: Set<String> = []
        let scalars = Array(source.unicodeScalars)
        let word = Array("tags".unicodeScalars)
        var i = 0
        while i + word.count < scalars.count {
            defer { i += 1 }
            guard Array(scalars[i..<(i + word.count)]) == word else { continue }
            if i > 0, isIdentifier(scalars[i - 1]) { continue }
            var j = i + word.count
            if scalars[j] == "." {
                j += 1
                let start = j
                while j < scalars.count, isIdentifier(scalars[j]) { j += 1 }
                if j > start { names.insert(String(String.UnicodeScalarView(scalars[start..<j]))) }
            } else if scalars[j] == "[", j + 1 < scalars.count, scalars[j + 1] == "\"" || scalars[j + 1] == "'" {
                let quote = scalars[j + 1]
                j += 2
                let start = j
                while j < scalars.count, scalars[j] != quote { j += 1 }
                if j > start { names.insert(String(String.UnicodeScalarView(scalars[start..<j]))) }
            }
        }
        return names.filter(RuleDSL.isValidName).sorted()
    }

    private static func isIdentifier(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "_"
    }
}
