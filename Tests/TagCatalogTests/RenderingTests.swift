import Foundation
import Testing

@testable import TagCatalog

@Suite("Catalog rendering")
struct RenderingTests {
    static let hostile = "<script>alert('x')</script>&\"高价值会员\""

    @Test func templatesEscapeUserText() throws {
        let renderer = try PageRenderer()
        struct Model {
            var heading: String
            var message: String
            var signIn: Bool
        }
        let page = renderer.page(
            ErrorTemplate.name, Model(heading: Self.hostile, message: Self.hostile, signIn: true), title: Self.hostile,
            viewer: ViewerModel(name: Self.hostile, role: "operator", csrf: "c", pending: 2))
        #expect(!page.contains("<script>alert"))
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;高价值会员&quot;"))
        #expect(page.contains("<script src=\"/assets/catalog.js\" defer></script>"), "the only script is the served file")
        #expect(page.contains("<span class=\"badge\">2</span>"))
    }

    @Test func chartsEscapeLabels() {
        let bars = BarChart(bars: [(Self.hostile, 3), ("plain", 1)], title: Self.hostile).svg()
        #expect(!bars.contains("<script>"))
        #expect(bars.contains("data-value=\"&lt;script&gt;"))
        let trend = TrendChart(runs: [(1, 0), (2, 1)], coverage: [3, 4], series: [.init(label: Self.hostile, counts: [1, 2])]).svg()
        #expect(!trend.contains("<script>"))
        #expect(trend.components(separatedBy: "<circle class=\"pt\"").count - 1 == 2, "one point per run")
    }

    @Test func categoryTreeCountsTagsBelowEachNode() {
        let leaf = { (name: String) in CategoryTree.Leaf(name: name, title: name) }
        let tree = CategoryTree.build([
            ("value/rfm", leaf("rfm_class")), ("value/rfm", leaf("rfm_score")), ("value/spend", leaf("high_value")),
            ("value/vip/cn/deep", leaf("vip")), ("", leaf("loose")),
        ])
        #expect(tree.map(\.label) == ["(no category)", "value"])
        let value = tree[1]
        #expect(value.count == 4)
        #expect(value.children.map(\.label) == ["rfm", "spend", "vip"])
        #expect(value.children[2].children.first?.path == "value/vip/cn", "at most three levels")
        #expect(value.children[2].children.first?.tags.map(\.name) == ["vip"])
    }

    @Test func searchMatchesEveryWord() {
        #expect(HomeView.matches("vip_cn 高价值会员 value/vip crm-cn", query: "高价值 CRM"))
        #expect(!HomeView.matches("rfm_class", query: "rfm score"))
        #expect(HomeView.matches("anything", query: "  "))
    }

    @Test func formsAndRedirectsAreParsedSafely() {
        let form = FormFields("csrf=ab%2Bc&reason=two+words&reason=second&empty=&flag")
        #expect(form["csrf"] == "ab+c" && form["reason"] == "two words" && form["empty"] == "" && form["flag"] == "")
        #expect(CatalogSite.safeNext("/tags/x?y=1") == "/tags/x?y=1")
        for bad in ["//evil.example/", "https://evil.example/", "/\\evil", nil] { #expect(CatalogSite.safeNext(bad) == "/") }
        #expect(CatalogSite.csvField("=cmd()") == "'=cmd()")
        #expect(CatalogSite.csvField("a,\"b\"") == "\"a,\"\"b\"\"\"")
        #expect(CatalogSite.notice("approved:vip_cn:abc123") == "vip_cn: version abc123 approved.")
        #expect(CatalogSite.notice("approved:<b>:abc") == nil)
    }

    @Test func diffLinesAreClassified() {
        let lines = ApprovalsView.lines("--- a\n+++ b\n@@ -1,2 +1,2 @@\n--- a Lua comment removed\n+-- added\n same\n")
        #expect(lines.map(\.kind) == ["hunk", "hunk", "hunk", "del", "add", "ctx"])
    }
}
