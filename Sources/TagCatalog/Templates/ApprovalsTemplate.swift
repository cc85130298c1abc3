/// Pending proposals with the diff against the live version, and (for
/// approvers) the approve and reject forms bound to the version shown.
enum ApprovalsTemplate {
    static let name = "approvals"
    static let text = """
        <section class="card"><h1>Approvals</h1>
        {{#notice}}<p class="card notice" id="notice">{{notice}}</p>{{/notice}}
        <p class="sub">{{waiting}} {{^canDecide}}You are {{role}}: approving and rejecting needs approver.{{/canDecide}}</p>
        </section>
        {{#proposals}}
        <section class="card proposal" id="{{name}}" data-tag="{{name}}">
        <h2><a href="/tags/{{name}}">{{name}}</a> <span class="sub">{{title}}</span></h2>
        <dl class="facts">
        <dt>Version</dt><dd><code class="hash">{{version}}</code></dd>
        <dt>Proposed</dt><dd>by {{proposedBy}} · {{proposedAt}} · {{file}}</dd>
        <dt>Replaces</dt><dd>{{#liveVersion}}<code class="hash">{{liveVersion}}</code>{{/liveVersion}}{{^liveVersion}}nothing (new tag){{/liveVersion}}</dd>
        <dt>Effect</dt><dd><a href="/approvals/{{name}}/plan">plan: what approving would change</a></dd>
        </dl>
        <h2 class="gap">Diff against the live version</h2>
        <pre class="diff">{{#diff}}<span class="{{kind}}">{{text}}</span>{{/diff}}</pre>
        {{#canDecide}}
        <form class="decision" method="post" action="/approvals/{{name}}/decide">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="version" value="{{version}}">
        <input type="text" name="reason" placeholder="Reason (needed to reject)" aria-label="Reason">
        <div class="row"><button class="primary" name="action" value="approve">Approve this version</button><button class="danger" name="action" value="reject">Reject</button></div>
        </form>
        {{/canDecide}}
        </section>
        {{/proposals}}
        """
}
