/// A tag or segment page: definition, lifecycle, coverage, distribution,
/// trend, related tags, warnings, source; for a segment also a member sample,
/// its reach plugins with outbox counts, and the export link.
enum TagTemplate {
    static let name = "tag"
    static let text = """
        <section class="card">
        <div class="sub">{{category}}</div>
        <h1 id="title">{{title}}</h1>
        <p><code>{{name}}</code> <span class="state {{state}}" id="state">{{state}}</span> <span class="n">{{kindLabel}}</span>{{#orphaned}} <span class="state rejected">orphaned</span>{{/orphaned}}</p>
        {{#description}}<p id="description">{{description}}</p>{{/description}}
        </section>
        {{#hasWarnings}}<section class="card warn" id="warnings"><h2>Review warnings</h2><ul class="plain">{{#warnings}}<li>{{.}}</li>{{/warnings}}</ul></section>{{/hasWarnings}}
        <div class="layout">
        <div>
        <section class="card" id="coverage">
        <h2>Coverage</h2>
        <p><span class="big" id="holders" data-holders="{{holders}}">{{holdersText}}</span> of {{membersText}} members · <span id="share">{{share}}</span></p>
        {{#hasValues}}{{{distribution}}}{{/hasValues}}
        {{^hasValues}}<p class="muted">No member holds this tag now.</p>{{/hasValues}}
        {{#moreValues}}<p class="n">and {{moreValues}} more values</p>{{/moreValues}}
        </section>
        <section class="card" id="trend">
        <h2>Trend over runs</h2>
        {{#hasRuns}}{{{trend}}}
        <ul class="legend"><li class="cov">coverage</li>{{#legend}}<li class="c{{index}}">{{label}}</li>{{/legend}}</ul>
        <div class="scroll"><table id="runs"><thead><tr><th>Run</th><th>As of (UTC)</th><th class="wide">Trigger</th><th class="num">Coverage</th><th class="num">Gained</th><th class="num">Lost</th><th class="num wide">Changed</th></tr></thead>
        <tbody>{{#runs}}<tr><td>{{id}}</td><td class="nowrap">{{asOf}}</td><td class="wide">{{trigger}}</td><td class="num">{{covered}}</td><td class="num">+{{gained}}</td><td class="num">−{{lost}}</td><td class="num wide">{{changed}}</td></tr>{{/runs}}</tbody></table></div>
        {{/hasRuns}}
        {{^hasRuns}}<p class="muted">No run yet.</p>{{/hasRuns}}
        </section>
        {{#segment}}
        <section class="card" id="sample">
        <h2>Members (sample)</h2>
        <p><a id="export" href="/segments/{{name}}/export.csv">Export all members as CSV</a></p>
        <ul class="plain columns">{{#members}}<li><a href="/members/{{path}}">{{id}}</a> <span class="n">since {{since}}</span></li>{{/members}}</ul>
        {{^members}}<p class="muted">No member is in the segment now.</p>{{/members}}
        </section>
        <section class="card" id="reach">
        <h2>Reach</h2>
        <div class="scroll"><table><thead><tr><th>Plugin</th><th class="num">Pending</th><th class="num">Delivered</th><th class="num">Dead</th></tr></thead>
        <tbody>{{#plugins}}<tr><td>{{plugin}}</td><td class="num">{{pending}}</td><td class="num">{{delivered}}</td><td class="num">{{dead}}</td></tr>{{/plugins}}</tbody></table></div>
        {{^plugins}}<p class="muted">No reach plugin.</p>{{/plugins}}
        </section>
        {{/segment}}
        <section class="card" id="source">
        <h2>Live source {{#liveVersion}}<code class="hash">{{liveVersion}}</code>{{/liveVersion}}</h2>
        {{#hasSource}}<ol class="source">{{#sourceLines}}<li>{{.}}</li>{{/sourceLines}}</ol>{{/hasSource}}
        {{^hasSource}}<p class="muted">No live version yet.</p>{{/hasSource}}
        </section>
        </div>
        <div>
        <section class="card" id="facts">
        <h2>Definition</h2>
        <dl class="facts">
        <dt>Owner</dt><dd>{{owner}}</dd>
        <dt>Kind</dt><dd>{{kindLabel}}</dd>
        <dt>Refresh</dt><dd>{{refresh}}</dd>
        <dt>Next due</dt><dd>{{nextDue}}</dd>
        <dt>Last run</dt><dd>{{lastRun}}</dd>
        <dt>File</dt><dd>{{file}}</dd>
        </dl>
        </section>
        <section class="card" id="related">
        <h2>Related</h2>
        <dl class="facts">
        <dt>Reads</dt><dd>{{#reads}}<a href="/tags/{{.}}">{{.}}</a> {{/reads}}{{^reads}}<span class="muted">none</span>{{/reads}}</dd>
        <dt>Read by</dt><dd>{{#readBy}}<a href="/tags/{{.}}">{{.}}</a> {{/readBy}}{{^readBy}}<span class="muted">none</span>{{/readBy}}</dd>
        <dt>Segments</dt><dd>{{#segments}}<a href="/tags/{{.}}">{{.}}</a> {{/segments}}{{^segments}}<span class="muted">none</span>{{/segments}}</dd>
        </dl>
        <h2 class="gap">Overlapping holders</h2>
        {{#hasOverlaps}}<div class="scroll"><table id="overlaps" class="compact"><thead><tr><th>Tag</th><th class="num">Both</th><th class="num">Share</th><th class="num">Lift</th></tr></thead>
        <tbody>{{#overlaps}}<tr data-tag="{{name}}"><td><a href="/tags/{{name}}">{{name}}</a></td><td class="num">{{both}}</td><td class="num">{{share}}</td><td class="num">{{lift}}</td></tr>{{/overlaps}}</tbody></table></div>
        <p class="n">Share: of this tag's holders, how many hold the other; lift above 1: more than by chance. {{overlapNote}}</p>{{/hasOverlaps}}
        {{^hasOverlaps}}<p class="muted">{{overlapNote}}</p>{{/hasOverlaps}}
        </section>
        <section class="card" id="lifecycle">
        <h2>Lifecycle</h2>
        <ul class="plain">{{#history}}<li><b>{{action}}</b> by {{actor}} <span class="n">{{at}}</span>{{#version}} <code class="hash">{{version}}</code>{{/version}}{{#reason}}<div class="sub">{{reason}}</div>{{/reason}}</li>{{/history}}</ul>
        {{#pendingVersion}}<p><a href="/approvals#{{name}}">Proposal {{pendingVersion}} waits for approval</a></p>{{/pendingVersion}}
        </section>
        </div>
        </div>
        """
}
