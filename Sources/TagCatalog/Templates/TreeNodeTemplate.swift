/// One node of the category tree (recursive): its tags and its sub-categories.
enum TreeNodeTemplate {
    static let name = "node"
    static let text = """
        <details class="node" data-path="{{path}}"><summary>{{label}} <span class="n">{{count}}</span></summary>
        {{#hasTags}}<ul>{{#tags}}<li><a href="/tags/{{name}}">{{name}}</a> <span class="sub">{{title}}</span></li>{{/tags}}</ul>{{/hasTags}}
        {{#children}}{{> node}}{{/children}}
        </details>
        """
}
