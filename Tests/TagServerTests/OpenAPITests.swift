import Foundation
import Hummingbird
import Testing

@testable import TagServer

/// Checks `Sources/TagServer/openapi.json` against itself and against the
/// routes the real router registers.
@Suite("OpenAPI document")
struct OpenAPITests {
    /// The repository root: this file is `<root>/Tests/TagServerTests/OpenAPITests.swift`.
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let specURL = repoRoot.appendingPathComponent("Sources/TagServer/openapi.json")

    static let httpMethods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// The spec as a Foundation object tree.
    static func loadSpec() throws -> [String: Any] {
        let data = try Data(contentsOf: specURL)
        let object = try JSONSerialization.jsonObject(with: data)
        return try #require(object as? [String: Any], "openapi.json is not a JSON object")
    }

    /// `"GET /v1/tags/{name}"` for every operation in the spec.
    static func specRoutes(_ spec: [String: Any]) throws -> Set<String> {
        let paths = try #require(spec["paths"] as? [String: Any], "no paths object")
        var routes: Set<String> = []
        for (path, item) in paths {
            let item = try #require(item as? [String: Any], "path item \(path) is not an object")
            for key in item.keys where httpMethods.contains(key) {
                routes.insert("\(key.uppercased()) \(path)")
            }
        }
        return routes
    }

    /// `"GET /v1/tags/{name}"` for every route the server's router registers,
    /// read with Hummingbird's public `Router.routes`; `:name` captures are
    /// written `{name}` as in OpenAPI.
    static func routerRoutes() throws -> Set<String> {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tagd-openapi-\(UUID().uuidString)", isDirectory: true)
        let rules = directory.appendingPathComponent("rules", isDirectory: true)
        let plugins = directory.appendingPathComponent("plugins", isDirectory: true)
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try TagServer(
            configuration: ServerConfiguration(
                storePath: directory.appendingPathComponent("tagd.sqlite").path, rulesDirectory: rules,
                pluginsDirectory: plugins))
        // The catalog's HTML pages are not part of the API the document describes.
        let pages = Router(context: TagRequestContext.self)
        server.catalog.register(on: pages)
        return routes(of: server.router()).subtracting(routes(of: pages))
    }

    /// `"GET /v1/tags/{name}"` for every route of `router`.
    static func routes(of router: Router<TagRequestContext>) -> Set<String> {
        Set(
            router.routes.map { route in
                let path = route.path.components.map { component -> String in
                    let text = component.description
                    return text.hasPrefix(":") ? "{\(text.dropFirst())}" : text
                }
                return "\(route.method.rawValue.uppercased()) /\(path.joined(separator: "/"))"
            })
    }

    /// Follows a local `$ref` (`#/components/schemas/X`) to its target.
    static func resolve(_ reference: String, in spec: [String: Any]) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any = spec
        for raw in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = raw.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let object = node as? [String: Any], let next = object[key] else { return nil }
            node = next
        }
        return node
    }

    /// Every `$ref` value anywhere in `node`.
    static func references(in node: Any) -> [String] {
        if let object = node as? [String: Any] {
            var found: [String] = []
            for (key, value) in object {
                if key == "$ref", let text = value as? String {
                    found.append(text)
                } else {
                    found += references(in: value)
                }
            }
            return found
        }
        if let array = node as? [Any] { return array.flatMap { references(in: $0) } }
        return []
    }

    @Test func parsesAsOpenAPI3() throws {
        let spec = try Self.loadSpec()
        let version = try #require(spec["openapi"] as? String, "no openapi version")
        #expect(version.hasPrefix("3."), "openapi is \(version)")
        let info = try #require(spec["info"] as? [String: Any])
        #expect(info["title"] is String)
        #expect(info["version"] is String)
        let schemes = (spec["components"] as? [String: Any])?["securitySchemes"] as? [String: Any]
        let bearer = try #require(schemes?["bearerAuth"] as? [String: Any], "no bearerAuth security scheme")
        #expect(bearer["type"] as? String == "http")
        #expect(bearer["scheme"] as? String == "bearer")
    }

    @Test func pathsMatchTheRouter() throws {
        let documented = try Self.specRoutes(try Self.loadSpec())
        let registered = try Self.routerRoutes()
        #expect(!registered.isEmpty)
        #expect(
            documented == registered,
            "undocumented: \(registered.subtracting(documented).sorted()); not served: \(documented.subtracting(registered).sorted())")
    }

    @Test func everyV1OperationNeedsTheBearerToken() throws {
        let spec = try Self.loadSpec()
        let global = spec["security"] as? [[String: Any]] ?? []
        let paths = try #require(spec["paths"] as? [String: [String: Any]])
        for (path, item) in paths {
            for (method, operation) in item where Self.httpMethods.contains(method) {
                let operation = try #require(operation as? [String: Any])
                let security = operation["security"] as? [[String: Any]] ?? global
                let needsToken = security.contains { $0["bearerAuth"] != nil }
                if path.hasPrefix("/v1/") {
                    #expect(needsToken, "\(method) \(path) should need the bearer token")
                    let responses = operation["responses"] as? [String: Any] ?? [:]
                    #expect(responses["401"] != nil, "\(method) \(path) should document 401")
                    #expect(responses["403"] != nil, "\(method) \(path) should document 403")
                } else {
                    #expect(!needsToken, "\(method) \(path) is served without a token")
                }
            }
        }
    }

    @Test func everyReferenceResolves() throws {
        let spec = try Self.loadSpec()
        let references = Self.references(in: spec)
        #expect(!references.isEmpty)
        for reference in Set(references).sorted() {
            #expect(Self.resolve(reference, in: spec) != nil, "unresolved $ref \(reference)")
        }
    }

    @Test func successSchemasDeclareTheirRequiredProperties() throws {
        let spec = try Self.loadSpec()
        let paths = try #require(spec["paths"] as? [String: [String: Any]])
        var pending: [(schema: Any, from: String)] = []
        for (path, item) in paths {
            for (method, operation) in item where Self.httpMethods.contains(method) {
                let responses = (operation as? [String: Any])?["responses"] as? [String: Any] ?? [:]
                for (status, response) in responses where status.hasPrefix("2") {
                    var response = response
                    if let reference = (response as? [String: Any])?["$ref"] as? String {
                        response = try #require(Self.resolve(reference, in: spec))
                    }
                    let content = (response as? [String: Any])?["content"] as? [String: Any] ?? [:]
                    for (mediaType, media) in content {
                        if let schema = (media as? [String: Any])?["schema"] {
                            pending.append((schema, "\(method.uppercased()) \(path) \(status) \(mediaType)"))
                        }
                    }
                }
            }
        }
        #expect(!pending.isEmpty)
        // Walk every schema reachable from a 2xx response (through $ref,
        // properties, items, additionalProperties and the combinators).
        var seen: Set<String> = []
        var checked = 0
        while let (node, from) = pending.popLast() {
            guard var schema = node as? [String: Any] else { continue }
            var name = from
            if let reference = schema["$ref"] as? String {
                guard seen.insert(reference).inserted else { continue }
                schema = try #require(Self.resolve(reference, in: spec) as? [String: Any], "unresolved \(reference) in \(from)")
                name = reference
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            if let required = schema["required"] as? [String] {
                checked += 1
                for property in required {
                    #expect(properties[property] != nil, "\(name): required '\(property)' is not in properties")
                }
                #expect(Set(required).count == required.count, "\(name): duplicate required entries")
            } else if schema["type"] as? String == "object", !properties.isEmpty {
                Issue.record("\(name): object schema without a required list")
            }
            for (key, value) in properties { pending.append((value, "\(name).\(key)")) }
            if let items = schema["items"] { pending.append((items, "\(name)[]")) }
            if let extra = schema["additionalProperties"] as? [String: Any] { pending.append((extra, "\(name){}")) }
            for combinator in ["allOf", "oneOf", "anyOf"] {
                for part in schema[combinator] as? [Any] ?? [] { pending.append((part, "\(name) \(combinator)")) }
            }
        }
        #expect(checked > 0)
    }
}
