import HTTPTypes

/// A page-level refusal or failure, shown as an HTML error page.
struct CatalogError: Error, Sendable {
    /// The status answered.
    var status: HTTPResponse.Status
    /// The page heading.
    var title: String
    /// What happened and what to do.
    var message: String

    static func notFound(_ message: String) -> CatalogError { .init(status: .notFound, title: "Not found", message: message) }
    static func forbidden(_ message: String) -> CatalogError { .init(status: .forbidden, title: "Not allowed", message: message) }
    static func conflict(_ message: String) -> CatalogError { .init(status: .conflict, title: "Nothing changed", message: message) }
    static func badRequest(_ message: String) -> CatalogError { .init(status: .badRequest, title: "Bad request", message: message) }
}
