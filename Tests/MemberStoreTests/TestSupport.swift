import Foundation
import GRDB
import Testing

@testable import MemberStore

/// A fresh store in its own temporary directory, plus fixture-writing helpers.
final class TestStore {
    let directory: URL
    let store: MemberStore

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("memberstore-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try MemberStore(path: directory.appendingPathComponent("store.sqlite").path)
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `contents` to `name` in the temp directory and returns its path.
    @discardableResult
    func fixture(_ name: String, _ contents: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes raw `bytes` (possibly not UTF-8) to `name` and returns its path.
    @discardableResult
    func fixture(_ name: String, bytes: [UInt8]) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Imports inline contents as a file named `name`.
    func importText(
        _ name: String, _ contents: String, kind: RecordKind, options: ImportOptions = ImportOptions()
    ) throws -> ImportSummary {
        let path = try fixture(name, contents)
        return try store.importFile(path, kind: kind, options: options)
    }

    /// Expects the import to fail and returns its error.
    func importFailure(
        _ name: String, _ contents: String, kind: RecordKind, options: ImportOptions = ImportOptions(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ImportError {
        try importFailure(name, bytes: Array(contents.utf8), kind: kind, options: options, sourceLocation: sourceLocation)
    }

    /// Expects the import of raw `bytes` to fail and returns its error.
    func importFailure(
        _ name: String, bytes: [UInt8], kind: RecordKind, options: ImportOptions = ImportOptions(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ImportError {
        let path = try fixture(name, bytes: bytes)
        let result = Result { () throws(ImportError) in try store.importFile(path, kind: kind, options: options) }
        switch result {
        case .success(let summary):
            Issue.record("expected import to fail, got: \(summary)", sourceLocation: sourceLocation)
            throw CancellationError()
        case .failure(let error):
            return error
        }
    }

    /// Expects the import of `bytes` to fail with a message ending in `suffix`
    /// (the file name, line and message after the temp directory).
    func expectFailure(
        _ name: String, bytes: [UInt8], kind: RecordKind, options: ImportOptions = ImportOptions(),
        endsWith suffix: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let error = try importFailure(name, bytes: bytes, kind: kind, options: options, sourceLocation: sourceLocation)
        #expect(error.description.hasSuffix(suffix), sourceLocation: sourceLocation)
    }

    /// Expects the import of `contents` to fail with a message ending in `suffix`.
    func expectFailure(
        _ name: String, _ contents: String, kind: RecordKind, options: ImportOptions = ImportOptions(),
        endsWith suffix: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        try expectFailure(
            name, bytes: Array(contents.utf8), kind: kind, options: options, endsWith: suffix,
            sourceLocation: sourceLocation)
    }

    /// A snapshot of all member-side rows, to check that a failed import changed nothing.
    func snapshot() throws -> [String] {
        try store.pool.read { db in
            var rows: [String] = []
            for table in ["members", "identities", "orders", "events"] {
                rows += try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map { "\(table) \($0)" }
            }
            return rows
        }
    }

    func scalar<T: DatabaseValueConvertible>(_ sql: String, _ arguments: StatementArguments = []) throws -> T? {
        try store.pool.read { db in try T.fetchOne(db, sql: sql, arguments: arguments) }
    }

    func rows(_ sql: String, _ arguments: StatementArguments = []) throws -> [Row] {
        try store.pool.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
    }
}
