/// A member page: attributes, identities, live tags with since-dates, timeline.
enum MemberTemplate {
    static let name = "member"
    static let text = """
        <section class="card"><div class="sub">member</div><h1 id="member">{{id}}</h1></section>
        <div class="grid2">
        <section class="card" id="attributes"><h2>Attributes</h2>
        <dl class="facts">{{#attributes}}<dt>{{key}}</dt><dd>{{value}}</dd>{{/attributes}}</dl>
        <h2 class="gap">Identities</h2>
        <dl class="facts">{{#identities}}<dt>{{key}}</dt><dd>{{value}}</dd>{{/identities}}</dl>
        {{^identities}}<p class="muted">none</p>{{/identities}}
        </section>
        <section class="card" id="tags"><h2>Live tags</h2>
        <div class="scroll"><table><thead><tr><th>Tag</th><th>Value</th><th>Since (UTC)</th></tr></thead>
        <tbody>{{#tags}}<tr><td><a href="/tags/{{tag}}">{{tag}}</a></td><td>{{value}}</td><td class="sub nowrap">{{since}}</td></tr>{{/tags}}</tbody></table></div>
        {{^tags}}<p class="muted">No live tag.</p>{{/tags}}
        </section>
        </div>
        <section class="card" id="timeline"><h2>Timeline</h2>
        <div class="scroll"><table><thead><tr><th>When (UTC)</th><th>Tag</th><th>Change</th><th>From</th><th>To</th><th class="wide">Run</th></tr></thead>
        <tbody>{{#timeline}}<tr><td class="sub nowrap">{{at}}</td><td><a href="/tags/{{tag}}">{{tag}}</a></td><td>{{change}}</td><td>{{old}}</td><td>{{new}}</td><td class="wide">{{run}}</td></tr>{{/timeline}}</tbody></table></div>
        {{^timeline}}<p class="muted">Nothing recorded.</p>{{/timeline}}
        </section>
        """
}
