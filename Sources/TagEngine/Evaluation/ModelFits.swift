import CustomerBase
import Foundation
import GRDB

/// The BG/NBD parameters a rule's model features were evaluated with, and
/// the as-of time of the data they were fitted on.
///
/// A fit is a property of the whole population, so fitting again after any
/// new purchase would move every member's prediction a little and make every
/// run evaluate everyone. Like a model in production, the fit is instead
/// refreshed on a cycle (the rule's `refit`, default `daily`): runs whose
/// as-of lies in the same cycle as the fit (full or incremental) predict with
/// the stored parameters, and an incremental run then predicts and evaluates
/// only the members whose inputs changed. `tagd run --refit` fits again now.
struct ModelFits: Codable, Equatable, Sendable {
    /// The as-of time of the data the parameters were fitted on.
    var asOf: Int64
    /// Parameters per purchase definition (``key(_:)``); `nil`: the model
    /// could not be fitted on that data, and every member's value is nil.
    var parameters: [String: BGNBDParameters?]

    /// The key of a model's purchase definition (its three input features).
    static func key(_ inputs: [FeatureSpec]) -> String {
        inputs.map { "\($0)" }.joined(separator: "|")
    }

    /// Whether the fit may still be used at `asOf` under the cycle `refit`:
    /// no slot of the cycle lies between the fit's as-of and `asOf`.
    func isFresh(at asOf: Int64, refit: RefreshSchedule) -> Bool {
        guard asOf >= self.asOf else { return false }
        let from = Date(timeIntervalSince1970: TimeInterval(self.asOf))
        return refit.slots(after: from, through: Date(timeIntervalSince1970: TimeInterval(asOf))).count == 0
    }

    /// The fits tag `tagID`'s last run of version `versionID` predicted with, if any.
    static func stored(tagID: Int64, versionID: Int64, in db: Database) throws -> ModelFits? {
        guard let text = try String.fetchOne(
            db, sql: "SELECT fits FROM model_fits WHERE tag_id = ? AND version_id = ?", arguments: [tagID, versionID])
        else { return nil }
        return try? JSONDecoder().decode(ModelFits.self, from: Data(text.utf8))
    }

    /// The stored fits of tag `tagID`'s version `versionID` if a run at
    /// `asOf` may still predict with them under the cycle `refit`.
    static func usable(tagID: Int64, versionID: Int64, refit: String, asOf: Int64, in db: Database) throws -> ModelFits? {
        guard let cycle = try? RefreshSchedule(parsing: refit), let fits = try stored(tagID: tagID, versionID: versionID, in: db),
            fits.isFresh(at: asOf, refit: cycle)
        else { return nil }
        return fits
    }

    /// Stores (replaces) the fits of tag `tagID`, in the caller's transaction
    /// (the one that writes the values predicted with them).
    func save(tagID: Int64, versionID: Int64, in db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO model_fits(tag_id, version_id, fits) VALUES (?, ?, ?)",
            arguments: [tagID, versionID, String(decoding: try JSONEncoder().encode(self), as: UTF8.self)])
    }
}
