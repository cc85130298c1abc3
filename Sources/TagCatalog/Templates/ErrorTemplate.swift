/// An error page (unknown tag or member, refusal), with a search box.
enum ErrorTemplate {
    static let name = "error"
    static let text = """
        <section class="card error">
        <h1>{{heading}}</h1>
        <p id="message">{{message}}</p>
        </section>
        <section class="card">
        <form class="search" method="get" action="/" role="search">
        <input type="search" name="q" placeholder="Search tags and segments" aria-label="Search"><button>Search</button>
        </form>
        {{#signIn}}<p><a href="/sign-in">Sign in</a></p>{{/signIn}}
        </section>
        """
}
