import Foundation
import SQLKit
import VigilCore

/// A signer who chose to be listed publicly, as the dossier names them.
public struct ListedSignatory: Sendable, Equatable {
    public let name: String
    public let country: String
    public let confirmedOn: Date
}

/// One version of a petition's text, with the hash its signers' entries carry.
public struct PetitionTextVersion: Sendable, Equatable {
    public let language: Language
    public let version: Int
    public let hash: String
    public let text: PetitionText
}

extension Store {
    /// Every version of a petition's text in every language, oldest first.
    public func textVersions(petitionID: Int64) async throws -> [PetitionTextVersion] {
        try await reader.raw(
            """
            SELECT language, version, body, text_hash FROM petition_texts
            WHERE petition_id = \(bind: petitionID) ORDER BY language, version
            """
        ).all().compactMap { row in
            guard let language = Language(rawValue: try row.decode(column: "language", as: String.self)) else { return nil }
            let body = try row.decode(column: "body", as: String.self)
            let text: PetitionText
            do {
                text = try JSONDecoder().decode(PetitionText.self, from: Data(body.utf8))
            } catch {
                throw StoreError.corruptRow(table: "petition_texts", problem: "body is not a petition text (\(error))")
            }
            return PetitionTextVersion(
                language: language,
                version: try row.decode(column: "version", as: Int.self),
                hash: try row.decode(column: "text_hash", as: String.self),
                text: text
            )
        }
    }

    /// Counted signers who chose to be listed, among the first `leafCount` entries of the log,
    /// in the order they were counted, handed to `body` a page at a time so memory stays flat.
    public func forEachListedSignatory(
        petitionID: Int64,
        leafCount: UInt64,
        pageSize: Int = 1000,
        _ body: ([ListedSignatory]) async throws -> Void
    ) async throws {
        var after: Int64 = -1
        while true {
            let rows = try await reader.raw(
                Self.namedSignatoriesQuery(petitionID: petitionID, after: after, before: Int64(leafCount), limit: pageSize)
            ).all()
            guard let last = rows.last else { return }
            after = try last.decode(column: "tally_leaf", as: Int64.self)
            try await body(try rows.map { row in
                let details = try cipher.open(json: SignerDetails.self, from: Array(try row.decode(column: "personal_data", as: Data.self)))
                return ListedSignatory(
                    name: details.name,
                    country: try row.decode(column: "country", as: String.self),
                    confirmedOn: Date(storedMilliseconds: try row.decode(column: "confirmed_at", as: Int64?.self) ?? 0)
                )
            })
        }
    }

    /// The query behind ``forEachListedSignatory(petitionID:leafCount:pageSize:_:)``: one page of
    /// listed signers with leaves between `after` and `before`, read in leaf order from the
    /// `signatures_counted` index.
    static func namedSignatoriesQuery(petitionID: Int64, after: Int64, before: Int64, limit: Int) -> SQLQueryString {
        """
        SELECT tally_leaf, personal_data, country, confirmed_at FROM signatures
        WHERE petition_id = \(bind: petitionID) AND status = 'confirmed' AND revoked_reason IS NULL
          AND show_name_publicly = \(bind: true) AND tally_leaf > \(bind: after) AND tally_leaf < \(bind: before)
        ORDER BY tally_leaf LIMIT \(bind: limit)
        """
    }

    /// The revocations and reinstatements among the first `size` entries, in order: the first
    /// pass of counting a log (``TallyRevocations``) without reading every entry.
    public func tallyControlEntries(petitionID: Int64, size: UInt64) async throws -> [StoredTallyEntry] {
        try await reader.raw(
            """
            SELECT leaf_index, entry FROM tally_entries
            WHERE petition_id = \(bind: petitionID) AND target_leaf IS NOT NULL AND leaf_index < \(bind: Int64(size))
            ORDER BY leaf_index
            """
        ).all().map(StoredTallyEntry.init(row:))
    }
}
