import CustomerBase
import Foundation
import GRDB

extension TagRunner {
    /// The BG/NBD model's own validation on the store's paid orders (the
    /// paper's calibration / holdout test): fitted on the days before
    /// `calibrationEnd`, over every member whose first paid order is before
    /// it, and compared with the repeat purchases of `calibrationEnd ..<
    /// holdoutEnd`, period by period. Purchases count once per UTC day;
    /// both ends are exclusive day boundaries (a date means its midnight UTC).
    public func holdout(calibrationEnd: Date, holdoutEnd: Date, periodDays: Int = 7) throws -> HoldoutComparison {
        let calibration = ModelFeature.day(calibrationEnd.timeIntervalSince1970)
        let end = ModelFeature.day(holdoutEnd.timeIntervalSince1970)
        guard end > calibration else { throw BacktestError(description: "holdout: the holdout must end after the calibration") }
        let purchaseDays = try pool.read { db in
            var all: [[Int]] = []
            var current: Int64?
            let rows = try Row.fetchCursor(
                db, sql: "SELECT member_id, ts FROM orders WHERE paid = 1 AND ts < ? ORDER BY member_id",
                arguments: [Int64(end) * 86_400])
            while let row = try rows.next() {
                let member: Int64 = row[0]
                if member != current {
                    all.append([])
                    current = member
                }
                all[all.count - 1].append(ModelFeature.day(row[1]))
            }
            return all
        }
        return try HoldoutComparison(purchaseDays: purchaseDays, calibrationEnd: calibration, holdoutEnd: end, periodDays: periodDays)
    }
}
