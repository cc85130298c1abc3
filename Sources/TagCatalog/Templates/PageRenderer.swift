import Mustache

/// Renders the catalog's pages from the templates compiled into the binary
/// (`{{...}}` escapes every value; only chart SVG, built with
/// ``HTMLText/escape(_:)``, and rendered page content go in `{{{...}}}`).
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// Every template, by name.
    static let templates: [(name: String, text: String)] = [
        (LayoutTemplate.name, LayoutTemplate.text), (HomeTemplate.name, HomeTemplate.text),
        (TreeNodeTemplate.name, TreeNodeTemplate.text), (TagTemplate.name, TagTemplate.text),
        (MemberTemplate.name, MemberTemplate.text), (ApprovalsTemplate.name, ApprovalsTemplate.text),
        (PlanTemplate.name, PlanTemplate.text), (SignInTemplate.name, SignInTemplate.text),
        (ErrorTemplate.name, ErrorTemplate.text),
    ]

    /// Parses every template (a syntax error in one is thrown here, at server start).
    init() throws {
        var library = MustacheLibrary()
        for template in Self.templates { try library.register(template.text, named: template.name) }
        self.library = library
    }

    /// The full page: `model` rendered with template `name`, inside the layout.
    func page(_ name: String, _ model: Any, title: String, viewer: ViewerModel?) -> String {
        let content = library.render(model, withTemplate: name) ?? ""
        return library.render(LayoutModel(title: title, viewer: viewer, content: content), withTemplate: LayoutTemplate.name) ?? content
    }
}

/// What the layout shows.
struct LayoutModel {
    var title: String
    var viewer: ViewerModel?
    var content: String
}

/// The signed-in user in the header.
struct ViewerModel {
    var name: String
    var role: String
    var csrf: String
    var pending: Int
    var hasPending: Bool

    init(name: String, role: String, csrf: String, pending: Int) {
        self.name = name
        self.role = role
        self.csrf = csrf
        self.pending = pending
        hasPending = pending > 0
    }
}
