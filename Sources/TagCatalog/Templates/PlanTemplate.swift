/// What approving a proposal would do: the plan summary.
enum PlanTemplate {
    static let name = "plan"
    static let text = """
        <section class="card"><div class="sub">plan of the proposal</div><h1>{{tag}}</h1>
        <p>Version <code class="hash">{{hash}}</code>, evaluated as of {{asOf}} in {{seconds}} s; nothing is written.</p>
        <dl class="facts" id="plan">
        <dt>Coverage</dt><dd>{{covered}} of {{members}} members ({{share}})</dd>
        <dt>Gained</dt><dd>{{gained}}</dd><dt>Lost</dt><dd>{{lost}}</dd><dt>Changed</dt><dd>{{changed}}</dd>
        </dl>
        {{{distribution}}}
        <p><a href="/approvals#{{tag}}">Back to the approvals</a></p>
        </section>
        """
}
