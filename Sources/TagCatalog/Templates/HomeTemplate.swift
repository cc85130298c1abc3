/// Home: the search box over tags and segments, the results, the category tree.
enum HomeTemplate {
    static let name = "home"
    static let text = """
        <div class="layout">
        <section class="card">
        <h1>Tags and segments</h1>
        <form class="search" method="get" action="/" role="search">
        <input type="search" id="q" name="q" value="{{query}}" placeholder="Search names, titles, categories, descriptions, owners" autocomplete="off" aria-label="Search">
        <button>Search</button>
        </form>
        <p class="count" id="count">{{shown}} of {{total}} tags and segments</p>
        <div class="scroll">
        <table class="results" id="results">
        <thead><tr><th>Tag</th><th class="wide">State</th><th class="num">Coverage</th><th class="wide">Last run</th></tr></thead>
        <tbody>
        {{#results}}<tr data-search="{{haystack}}" data-name="{{name}}"{{#hidden}} hidden{{/hidden}}>
        <td><a href="/tags/{{name}}">{{name}}</a> <span class="n">{{kind}}</span><div class="sub">{{title}}</div><div class="cat">{{category}}</div><div class="n phone"><span class="state {{state}}">{{state}}</span> last run {{lastRun}}</div></td>
        <td class="wide"><span class="state {{state}}">{{state}}</span></td>
        <td class="num">{{coverage}}<div class="n">{{holders}}</div></td>
        <td class="sub wide">{{lastRun}}</td>
        </tr>
        {{/results}}
        </tbody>
        </table>
        </div>
        </section>
        <section class="card tree" id="tree">
        <h2>Categories</h2>
        {{#tree}}{{> node}}{{/tree}}
        </section>
        </div>
        """
}
