/// Turns one raw input row (a CSV row or an NDJSON object) into a typed
/// ``IngestRecord``, or into the list of its field-level errors.
///
/// Fields per kind (anything else is an *extra* column):
/// - members: `member` (required), `channel`, `registered_at`, `gender`,
///   `region`, `birthday`, `level`, `attrs` (JSON object), `identities`
///   (JSON object channel -> id). Extras named `id_<channel>` are identities,
///   other extras go into `attrs` (CSV extras are stored as strings).
/// - orders: `id` (idempotency key), `member`, `ts` (required), `amount`,
///   `channel`, `category`, `product`, `is_new_product`, `coupon`, `paid`,
///   `props` (JSON object), `identities`, `id_<channel>`. Other extras are
///   custom columns and go into `props`;
///   a CSV cell holding a plain decimal number (`3`, `2.50`, not `007`) is
///   stored as a number, any other cell as text.
/// - events: `id`, `member`, `ts`, `type` (required), `category`, `keyword`,
///   `props` (JSON object), `identities`, `id_<channel>`. Extras go into `props`.
///
/// Every kind may name its member by channel identities instead of
/// `member` (resolved when written, see ``IngestWriter``).
///
/// Empty CSV cells and JSON `null` count as absent. Unquoted CSV cells (and
/// the cells of ``decode(_:)-([String:String])``) are trimmed of spaces and
/// tabs; quoted CSV cells and JSON strings are kept as they are, except that
/// numbers, booleans and timestamps ignore surrounding blanks.
///
/// Refused with a field error: a NUL character in any text (also nested in
/// JSON values), member and identity ids breaking ``MemberID``'s rules, and
/// timestamps outside ``TimestampParser/inputRange``. Ids are normalised to
/// NFC when written (``IngestWriter``), not here.
public struct RecordDecoder: Sendable {
    /// The kind of records this decoder produces.
    public let kind: RecordKind

    /// Creates a decoder for one record kind.
    public init(kind: RecordKind) {
        self.kind = kind
    }

    /// Column names understood for `kind` (CSV header / JSON keys).
    public static func knownColumns(for kind: RecordKind) -> [String] {
        InputField.known(for: kind).map(\.name)
    }

    /// Column names a `kind` row must have.
    public static func requiredColumns(for kind: RecordKind) -> [String] {
        InputField.required(for: kind).map(\.name)
    }

    /// Decodes a CSV-style row of named text cells.
    public func decode(_ row: [String: String]) throws(RecordDecodingError) -> IngestRecord {
        try decode(row: TextDictionaryRow(cells: row, kind: kind))
    }

    /// Decodes a JSON object (one NDJSON line).
    public func decode(_ object: [String: JSONValue]) throws(RecordDecodingError) -> IngestRecord {
        try decode(row: JSONObjectRow(object: object, kind: kind))
    }

    func decode<Row: FieldRow>(row: Row) throws(RecordDecodingError) -> IngestRecord {
        var reader = FieldReader(row)
        let record: IngestRecord
        switch kind {
        case .members: record = .member(decodeMember(&reader))
        case .orders: record = .order(decodeOrder(&reader))
        case .events: record = .event(decodeEvent(&reader))
        }
        if !reader.errors.isEmpty { throw RecordDecodingError(fields: reader.errors) }
        return record
    }
}
