import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import NIOCore
import TagEngine

extension CatalogSite {
    /// `/`: search and category tree.
    func home(_ request: Request, _ session: WebSession) async throws -> Response {
        let query = request.uri.queryParameters.get("q") ?? ""
        let body = try await blocking { () throws -> String in
            let files = (try? environment.scan()) ?? []
            let overview = try registry.overview()
            let tags = try pool.read { db in try TagRow.all(db) }
            let holders = try tags.mapValues { row in try counts.values(of: row.id).reduce(0) { $0 + $1.count } }
            let model = HomeView.build(
                query: query, overview: overview, files: files, holders: holders, members: try counts.memberCount(), tags: tags)
            return renderer.page(HomeTemplate.name, model, title: "Tags", viewer: viewer(session))
        }
        return html(body)
    }

    /// `/tags/{name}`: a tag or segment.
    func tag(_ name: String, _ session: WebSession) async throws -> Response {
        let now = environment.clock()
        let body = try await blocking { () throws -> String in
            let tags = try pool.read { db in try TagRow.all(db) }
            guard let row = tags[name] else {
                throw CatalogError.notFound("There is no tag or segment named “\(name)”. Search for it below.")
            }
            // What GET /v1/tags/{name} shows, with the counts kept between pages (LiveCounts).
            let history = try registry.history(name: name)
            guard let overview = try registry.overview().first(where: { $0.name == name }) else {
                throw CatalogError.notFound("There is no tag or segment named “\(name)”.")
            }
            let liveID = try pool.read { db in try Int64.fetchOne(db, sql: "SELECT live_version_id FROM tags WHERE id = ?", arguments: [row.id]) }
            let live = history.versions.first { $0.id == liveID }
            let summary = ((try? environment.scan()) ?? []).compactMap { try? $0.outcome.get() }.first { $0.name == name }
            let review = CullingReview(pool: pool)
            let warnings = (try? review.candidates(try review.defaultOptions(now: now)))?.first { $0.name == name }?.reasons ?? []
            let related = try overlaps.related(to: row.id)
            let segment = try row.kind == "segment"
                ? pool.read { db in try TagView.segment(name: name, tagID: row.id, reach: summary?.reach ?? [], in: db) } : nil
            let model = TagView.build(
                .init(
                    overview: overview, live: live, values: try counts.values(of: row.id), members: try counts.memberCount(),
                    history: history, row: row, tags: tags, summary: summary, trend: try trends.trend(of: row.id),
                    related: related.items, overlaps: related.snapshot, warnings: warnings, segment: segment, now: now))
            return renderer.page(TagTemplate.name, model, title: model.title, viewer: viewer(session))
        }
        environment.read([name])
        return html(body)
    }

    /// `/members/{id}`.
    func member(_ id: String, _ session: WebSession) async throws -> Response {
        let body = try await blocking { () throws -> String in
            guard let member = try environment.store.member(externalID: id) else {
                throw CatalogError.notFound("There is no member with id “\(id)”.")
            }
            let tags = try registry.tags(ofMember: member.id)
            let model = try pool.read { db in try MemberView.build(member, tags: tags, in: db) }
            environment.read(tags.map(\.tag))
            return renderer.page(MemberTemplate.name, model, title: "Member \(id)", viewer: viewer(session))
        }
        return html(body)
    }

    /// `/segments/{name}/export.csv`: every member of a segment with its
    /// identities, streamed page by page.
    func export(_ name: String) async throws -> Response {
        let export = try SegmentExport(pool: pool, name: name, columns: ["region", "level"])
        _ = try await blocking { try export.page(limit: 1) }  // 404 before the first byte
        var headers = Self.securityHeaders(type: "text/csv; charset=utf-8")
        if let disposition = HTTPField.Name("Content-Disposition") { headers[disposition] = "attachment; filename=\"\(name).csv\"" }
        environment.read([name])
        let site = self
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "member,identities,region,level,since\n"))
                var cursor: Int64 = 0
                while true {
                    let after = cursor
                    let rows = try await site.blocking { try export.page(after: after, limit: 5_000) }
                    guard let last = rows.last else { break }
                    var chunk = ""
                    for row in rows {
                        let identities = row.identities.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ";")
                        let fields = [row.member, identities, row.attributes["region"] ?? "", row.attributes["level"] ?? "", String(row.since)]
                        chunk += fields.map(Self.csvField).joined(separator: ",") + "\n"
                    }
                    try await writer.write(ByteBuffer(string: chunk))
                    cursor = last.cursor
                }
                try await writer.finish(nil)
            })
    }

    /// A CSV field, quoted when needed; a leading `= + - @` is prefixed with
    /// `'` so that spreadsheets do not run it as a formula.
    static func csvField(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
