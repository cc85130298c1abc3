/// The page shell: header with navigation and the signed-in user, then the page's content.
enum LayoutTemplate {
    static let name = "layout"
    static let text = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · tagd catalog</title>
        <link rel="stylesheet" href="/assets/catalog.css">
        <script src="/assets/catalog.js" defer></script>
        </head>
        <body>
        <header class="top">
        <a class="brand" href="/">tagd catalog</a>
        {{#viewer}}<nav>
        <a href="/">Tags</a>
        <a href="/approvals">Approvals{{#hasPending}} <span class="badge">{{pending}}</span>{{/hasPending}}</a>
        <span class="who">{{name}} · {{role}}</span>
        <form class="inline" method="post" action="/sign-out"><input type="hidden" name="csrf" value="{{csrf}}"><button>Sign out</button></form>
        </nav>{{/viewer}}
        </header>
        <main>
        {{{content}}}
        </main>
        </body>
        </html>
        """
}
