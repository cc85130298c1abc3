import Foundation

/// Reads and decodes an import file on its own thread, feeding an
/// ``ImportPipe``. After ``start()`` the producer and its ``ByteStream`` are
/// used by that thread only.
final class RecordProducer: @unchecked Sendable {
    let kind: RecordKind
    let file: String
    let format: ImportFormat
    let stream: ByteStream
    let pipe: ImportPipe
    let decoder: RecordDecoder
    let maxRecordBytes: Int
    /// The identity rules records are resolved by (their identities are prepared here).
    let policy: IdentityPolicy?
    private let hasPolicy: Bool
    /// The policy by channel (looked up per identity).
    private let rules: IdentityChannelRules?
    private var batch = ImportPipe.Batch()
    private var stopped = false
    private static let batchSize = 2_048

    init(
        kind: RecordKind, file: String, format: ImportFormat, stream: ByteStream, pipe: ImportPipe, maxRecordBytes: Int,
        policy: IdentityPolicy?
    ) {
        self.kind = kind
        self.file = file
        self.format = format
        self.stream = stream
        self.pipe = pipe
        self.decoder = RecordDecoder(kind: kind)
        self.maxRecordBytes = maxRecordBytes
        self.policy = policy
        self.hasPolicy = policy != nil
        self.rules = policy.map(IdentityChannelRules.init)
        batch.items.reserveCapacity(Self.batchSize)
    }

    /// Starts reading on a new thread.
    func start() {
        // The thread owns the producer through a retain taken back inside its
        // closure, so the producer is released when `run()` returns: Foundation
        // keeps the closure itself until the thread's exit destructors, too
        // late to release anything safely (see TagEngine's OwnThread).
        let owned = Unmanaged.passRetained(self)
        let thread = Thread { owned.takeRetainedValue().run() }
        thread.name = "tagd-import-reader"
        thread.start()
    }

    private func run() {
        defer { pipe.markProducerDone() }
        do {
            switch format {
            case .csv: try readCSV()
            case .ndjson: try readNDJSON()
            }
        } catch {
            batch.fatal = error
        }
        if stopped { return }
        batch.isLast = true
        batch.bytesConsumed = stream.totalBytes
        _ = pipe.push(batch)
    }

    /// Queues one row; returns `false` when the writer asked to stop.
    func emit(line: Int, _ record: Result<IngestRecord, ImportError>) -> Bool {
        batch.items.append(ImportPipe.Item(line: line, record: record, identities: prepared(record)))
        if batch.items.count < Self.batchSize { return true }
        batch.bytesConsumed = stream.bytesConsumed
        if !pipe.push(batch) { stopped = true }
        batch = ImportPipe.Batch()
        batch.items.reserveCapacity(Self.batchSize)
        return !stopped
    }

    /// The identities the writer resolves a decoded record by, prepared, or `nil`.
    private func prepared(_ record: Result<IngestRecord, ImportError>) -> PreparedIdentities? {
        guard case .success(let record) = record else { return nil }
        switch record {
        case .member(let member):
            return IngestWriter.isResolved(member, hasPolicy: hasPolicy) ? PreparedIdentities(member.identities, rules: rules) : nil
        case .order(let order):
            return order.identities.isEmpty ? nil : PreparedIdentities(order.identities, rules: rules)
        case .event(let event):
            return event.identities.isEmpty ? nil : PreparedIdentities(event.identities, rules: rules)
        }
    }

    /// Decodes one row, mapping field errors to an ``ImportError`` at `line`.
    func decode<Row: FieldRow>(_ row: Row, line: Int, label: String) -> Result<IngestRecord, ImportError> {
        do {
            return .success(try decoder.decode(row: row))
        } catch {
            return .failure(ImportError(file: file, line: line, reason: .invalidFields(error.fields, label: label)))
        }
    }
}
