import Foundation
import Testing

@testable import TextDiff

/// `count` numbered lines, each ending with a newline.
private func numbered(_ count: Int, replacing replacements: [Int: String] = [:]) -> String {
    (1...count).map { replacements[$0] ?? "line \($0)" }.map { $0 + "\n" }.joined()
}

@Suite("Line diffs")
struct LineDiffTests {
    func diff(_ old: String, _ new: String, context: Int = 3) -> String {
        LineDiff.unified(old: old, new: new, oldName: "a/rule.lua", newName: "b/rule.lua", context: context)
    }

    @Test func equalTextsGiveNothing() {
        #expect(diff("", "") == "")
        #expect(diff("a\nb\n", "a\nb\n") == "")
    }

    @Test func pureAddition() {
        #expect(diff("a\nb\n", "a\nb\nc\n") == """
            --- a/rule.lua
            +++ b/rule.lua
            @@ -1,2 +1,3 @@
             a
             b
            +c

            """)
    }

    @Test func deletion() {
        #expect(diff("a\nb\nc\n", "a\nc\n") == """
            --- a/rule.lua
            +++ b/rule.lua
            @@ -1,3 +1,2 @@
             a
            -b
             c

            """)
    }

    @Test func changeInTheMiddleShowsContext() {
        #expect(diff(numbered(10), numbered(10, replacing: [5: "five"])) == """
            --- a/rule.lua
            +++ b/rule.lua
            @@ -2,7 +2,7 @@
             line 2
             line 3
             line 4
            -line 5
            +five
             line 6
             line 7
             line 8

            """)
        #expect(diff(numbered(10), numbered(10, replacing: [5: "five"]), context: 0) == """
            --- a/rule.lua
            +++ b/rule.lua
            @@ -5 +5 @@
            -line 5
            +five

            """)
    }

    @Test func closeChangesShareAHunk() {
        // Five unchanged lines between the changes: within 2 * 3, one hunk.
        let merged = diff(numbered(20), numbered(20, replacing: [5: "five", 11: "eleven"]))
        #expect(merged.components(separatedBy: "\n@@").count == 2)
        #expect(merged.contains("@@ -2,13 +2,13 @@\n"))
        // Seven unchanged lines between them: two hunks.
        let split = diff(numbered(20), numbered(20, replacing: [5: "five", 13: "thirteen"]))
        #expect(split == """
            --- a/rule.lua
            +++ b/rule.lua
            @@ -2,7 +2,7 @@
             line 2
             line 3
             line 4
            -line 5
            +five
             line 6
             line 7
             line 8
            @@ -10,7 +10,7 @@
             line 10
             line 11
             line 12
            -line 13
            +thirteen
             line 14
             line 15
             line 16

            """)
    }

    @Test func newAndDeletedFiles() {
        #expect(diff("", "x\ny\n") == """
            --- a/rule.lua
            +++ b/rule.lua
            @@ -0,0 +1,2 @@
            +x
            +y

            """)
        #expect(diff("x\n", "") == """
            --- a/rule.lua
            +++ b/rule.lua
            @@ -1 +0,0 @@
            -x

            """)
    }

    @Test func missingFinalNewlineIsMarked() {
        #expect(diff("a\nb", "a\nb\n") == """
            --- a/rule.lua
            +++ b/rule.lua
            @@ -1,2 +1,2 @@
             a
            -b
            \\ No newline at end of file
            +b

            """)
    }

    /// The script keeps a longest common subsequence and rebuilds the new text.
    @Test func scriptsAreShortest() {
        var seed: UInt64 = 0x5EED
        func random(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        for _ in 0..<300 {
            let old = (0..<random(40)).map { _ in random(5) }
            var new = old
            for _ in 0..<random(12) {
                switch random(3) {
                case 0 where !new.isEmpty: new.remove(at: random(new.count))
                case 1: new.insert(random(5), at: random(new.count + 1))
                default: if !new.isEmpty { new[random(new.count)] = random(5) }
                }
            }
            let script = EditScript(old: old, new: new)
            var rebuilt: [Int] = []
            for step in script.operations {
                switch step.kind {
                case .keep:
                    #expect(old[step.old] == new[step.new])
                    rebuilt.append(old[step.old])
                case .insert: rebuilt.append(new[step.new])
                case .delete: break
                }
            }
            #expect(rebuilt == new)
            let kept = script.operations.count(where: { $0.kind == .keep })
            #expect(kept == longestCommonSubsequence(old, new), "\(old) -> \(new)")
        }
    }

    /// Length of a longest common subsequence, by dynamic programming.
    func longestCommonSubsequence(_ a: [Int], _ b: [Int]) -> Int {
        var row = Array(repeating: 0, count: b.count + 1)
        for x in a {
            var diagonal = 0
            for (j, y) in b.enumerated() {
                let above = row[j + 1]
                row[j + 1] = x == y ? diagonal + 1 : max(row[j + 1], row[j])
                diagonal = above
            }
        }
        return row[b.count]
    }
}
