import Foundation
import SQLKit
import VigilCore

/// A piece of news about a petition, in one or more languages, written in Markdown.
public struct PetitionUpdate: Sendable, Equatable, Identifiable {
    public struct Text: Sendable, Equatable {
        public var title: String
        /// Markdown; raw HTML in it is shown as text.
        public var body: String

        public init(title: String, body: String) {
            self.title = title
            self.body = body
        }
    }

    public let id: Int64
    public let petitionID: Int64
    public let texts: [Language: Text]
    public let createdAt: Date
    public let publishedAt: Date?
    /// When it was e-mailed to the signers who asked to be kept informed; it is sent once.
    public let emailedAt: Date?

    /// The text in a language, or in English, or in any language there is.
    public func text(_ language: Language) -> Text? {
        texts[language] ?? texts[.fallback] ?? texts.sorted { $0.key.rawValue < $1.key.rawValue }.first?.value
    }
}

/// Why an update could not be sent.
public enum UpdateSendProblem: Error, Sendable, Equatable {
    case notPublished
    case alreadySent
    case unknownUpdate
}

extension Store {
    /// Saves a new, unpublished update.
    public func createUpdate(petitionID: Int64, texts: [Language: PetitionUpdate.Text], audit entry: AuditRecord) async throws -> Int64 {
        let nowMS = now().storedMilliseconds
        return try await transaction { database in
            guard let row = try await database.raw(
                """
                INSERT INTO updates (petition_id, created_by, created_at)
                VALUES (\(bind: petitionID), \(bind: entry.staffID), \(bind: nowMS)) RETURNING id
                """
            ).first() else { throw StoreError.corruptRow(table: "updates", problem: "insert returned no id") }
            let id = try row.decode(column: "id", as: Int64.self)
            for (language, text) in texts {
                try await database.raw(
                    """
                    INSERT INTO update_texts (update_id, language, title, body)
                    VALUES (\(bind: id), \(bind: language.rawValue), \(bind: text.title), \(bind: text.body))
                    """
                ).run()
            }
            try await appendAudit(entry.about("update:\(id)"), on: database)
            return id
        }
    }

    /// Makes an update public on the site and in the feed.
    public func publishUpdate(id: Int64, audit entry: AuditRecord) async throws {
        try await transaction { database in
            try await database.raw(
                "UPDATE updates SET published_at = \(bind: now().storedMilliseconds) WHERE id = \(bind: id) AND published_at IS NULL"
            ).run()
            try await appendAudit(entry.about("update:\(id)"), on: database)
        }
    }

    /// One update with its texts.
    public func update(id: Int64) async throws -> PetitionUpdate? {
        try await updates(where: "u.id = \(bind: id)").first
    }

    /// A petition's updates, newest first; only published ones unless `includeDrafts`.
    public func updates(petitionID: Int64?, includeDrafts: Bool) async throws -> [PetitionUpdate] {
        var condition: SQLQueryString = includeDrafts ? "1 = 1" : "u.published_at IS NOT NULL"
        if let petitionID { condition = condition + " AND u.petition_id = \(bind: petitionID)" }
        return try await updates(where: condition)
    }

    private func updates(where condition: SQLQueryString) async throws -> [PetitionUpdate] {
        let rows = try await reader.raw(
            """
            SELECT u.id, u.petition_id, u.created_at, u.published_at, u.emailed_at, t.language, t.title, t.body
            FROM updates AS u JOIN update_texts AS t ON t.update_id = u.id
            WHERE
            """ + " " + condition + " ORDER BY COALESCE(u.published_at, u.created_at) DESC, u.id DESC"
        ).all()
        var order: [Int64] = []
        var byID: [Int64: (petitionID: Int64, created: Int64, published: Int64?, emailed: Int64?, texts: [Language: PetitionUpdate.Text])] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: Int64.self)
            if byID[id] == nil {
                order.append(id)
                byID[id] = (
                    try row.decode(column: "petition_id", as: Int64.self),
                    try row.decode(column: "created_at", as: Int64.self),
                    try row.decode(column: "published_at", as: Int64?.self),
                    try row.decode(column: "emailed_at", as: Int64?.self),
                    [:]
                )
            }
            if let language = Language(rawValue: try row.decode(column: "language", as: String.self)) {
                byID[id]?.texts[language] = PetitionUpdate.Text(
                    title: try row.decode(column: "title", as: String.self),
                    body: try row.decode(column: "body", as: String.self)
                )
            }
        }
        return order.compactMap { id in
            byID[id].map {
                PetitionUpdate(
                    id: id, petitionID: $0.petitionID, texts: $0.texts, createdAt: Date(storedMilliseconds: $0.created),
                    publishedAt: $0.published.map(Date.init(storedMilliseconds:)), emailedAt: $0.emailed.map(Date.init(storedMilliseconds:))
                )
            }
        }
    }

    /// How many confirmed signers of a petition asked to be kept informed.
    public func informedSignerCount(petitionID: Int64) async throws -> Int {
        try await signatureCount(
            where: "petition_id = \(bind: petitionID) AND status = 'confirmed' AND revoked_reason IS NULL AND keep_informed"
        )
    }

    /// Puts the update in the outbox for every confirmed signer who asked to be kept informed,
    /// each in the language they signed in, in one transaction that also marks it sent: a second
    /// send is refused, even if two staff press the button at once.
    @discardableResult
    public func emailUpdate(id: Int64, audit entry: AuditRecord) async throws -> Int {
        let nowMS = now().storedMilliseconds
        let queued = try await transaction { database in
            guard let row = try await database.raw(
                "SELECT petition_id, published_at, emailed_at FROM updates WHERE id = \(bind: id)"
            ).first() else { throw UpdateSendProblem.unknownUpdate }
            guard try row.decode(column: "published_at", as: Int64?.self) != nil else { throw UpdateSendProblem.notPublished }
            guard try row.decode(column: "emailed_at", as: Int64?.self) == nil else { throw UpdateSendProblem.alreadySent }
            let petitionID = try row.decode(column: "petition_id", as: Int64.self)
            try await database.raw("UPDATE updates SET emailed_at = \(bind: nowMS) WHERE id = \(bind: id)").run()

            var queued = 0
            var after: Int64 = 0
            while true {
                // Pages by id so memory stays small however many signers there are.
                let signers = try await database.raw(
                    """
                    SELECT id, email_index, personal_data, language FROM signatures
                    WHERE petition_id = \(bind: petitionID) AND status = 'confirmed' AND revoked_reason IS NULL AND keep_informed AND id > \(bind: after)
                    ORDER BY id LIMIT 500
                    """
                ).all()
                guard let last = signers.last else { break }
                after = try last.decode(column: "id", as: Int64.self)
                var mail: [SealedMail] = []
                for signer in signers {
                    let details = try cipher.open(json: SignerDetails.self, from: Array(try signer.decode(column: "personal_data", as: Data.self)))
                    let emailIndex = try signer.decode(column: "email_index", as: String.self)
                    mail.append(
                        try QueuedMail(
                            kind: .update,
                            language: try signer.decode(column: "language", as: String.self),
                            recipient: details.email,
                            fields: [
                                "update_id": String(id), "petition_id": String(petitionID), "name": details.name,
                                "manage": cipher.manageToken(petitionID: petitionID, emailIndex: emailIndex),
                            ],
                            signer: MailSigner(petitionID: petitionID, emailIndex: emailIndex)
                        ).sealed(cipher: cipher, random: random, queuedAt: nowMS)
                    )
                }
                try await SealedMail.insert(mail, at: nowMS, on: database)
                queued += mail.count
            }
            var record = entry
            record.details["recipients"] = String(queued)
            try await appendAudit(record.about("update:\(id)"), on: database)
            return queued
        }
        if queued > 0 { announceMail() }
        return queued
    }
}
