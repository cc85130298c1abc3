/// The sign-in form: an API token is exchanged for a session cookie.
enum SignInTemplate {
    static let name = "sign-in"
    static let text = """
        <section class="card signin">
        <h1>Sign in</h1>
        {{#notice}}<p class="card warn" id="notice">{{notice}}</p>{{/notice}}
        <p class="sub">Paste your API token (<code>tagd token create</code> prints one). It is exchanged for a session
        that ends after {{hours}} hours or when the token is revoked.</p>
        <form method="post" action="/sign-in" class="decision">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="next" value="{{next}}">
        <input type="password" name="token" id="token" placeholder="tagd_..." autocomplete="off" aria-label="API token">
        <div class="row"><button class="primary" id="sign-in">Sign in</button></div>
        </form>
        </section>
        """
}
