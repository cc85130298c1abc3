import GRDB

extension MemberStore {
    /// Writes a batch of records of any kinds in one transaction.
    ///
    /// Either every record is written or, on error, none is.
    public func ingest(_ records: [IngestRecord]) throws(StoreError) -> IngestCounts {
        do {
            return try bulkWrite { db in
                let writer = try IngestWriter(db: db)
                for record in records { try writer.write(record) }
                return writer.counts
            }
        } catch {
            throw .database(reason: "ingest failed: \(error)")
        }
    }

    /// Upserts members in one transaction (see ``IngestWriter/write(_:)-(MemberInput)``).
    public func ingest(members: [MemberInput]) throws(StoreError) -> IngestCounts {
        try ingest(members.map(IngestRecord.member))
    }

    /// Inserts orders in one transaction, creating unknown members.
    public func ingest(orders: [OrderInput]) throws(StoreError) -> IngestCounts {
        try ingest(orders.map(IngestRecord.order))
    }

    /// Inserts events in one transaction, creating unknown members.
    public func ingest(events: [EventInput]) throws(StoreError) -> IngestCounts {
        try ingest(events.map(IngestRecord.event))
    }
}
