import Foundation
import SQLKit

/// What to write in the audit log about an action, before the store adds the time and an id.
public struct AuditRecord: Sendable {
    public var staffID: Int64?
    public var actor: String
    public var action: String
    public var subject: String?
    public var details: [String: String]
    public var clientHash: String?

    public init(
        staffID: Int64?,
        actor: String,
        action: String,
        subject: String? = nil,
        details: [String: String] = [:],
        clientHash: String? = nil
    ) {
        self.staffID = staffID
        self.actor = actor
        self.action = action
        self.subject = subject
        self.details = details
        self.clientHash = clientHash
    }

    /// The same record, about a given subject unless it names one already.
    public func about(_ subject: String) -> AuditRecord {
        var copy = self
        copy.subject = copy.subject ?? subject
        return copy
    }
}

extension Store {
    /// Appends a line to the audit log on its own.
    public func audit(_ record: AuditRecord) async throws {
        try await write { try await appendAudit(record, on: $0) }
    }

    /// Appends a line inside a transaction that is writing the change it describes, so the change
    /// and its record land together or not at all.
    func appendAudit(_ record: AuditRecord, on database: any SQLDatabase) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let details = record.details.isEmpty ? nil : String(decoding: try encoder.encode(record.details), as: UTF8.self)
        try await database.raw(
            """
            INSERT INTO audit_log (at, staff_id, actor, action, subject, details, client_hash)
            VALUES (\(bind: now().storedMilliseconds), \(bind: record.staffID), \(bind: record.actor), \(bind: record.action),
                    \(bind: record.subject), \(bind: details), \(bind: record.clientHash))
            """
        ).run()
    }

    /// The newest audit lines first, `limit` at a time, before a given id for paging.
    public func auditLog(limit: Int, before id: Int64? = nil) async throws -> [AuditEntry] {
        let filter: SQLQueryString = id.map { " WHERE id < \(bind: $0)" } ?? ""
        return try await reader.raw(
            "SELECT id, at, staff_id, actor, action, subject, details, client_hash FROM audit_log"
                + filter + " ORDER BY id DESC LIMIT \(bind: limit)"
        ).all().map { row in
            AuditEntry(
                id: try row.decode(column: "id", as: Int64.self),
                at: Date(storedMilliseconds: try row.decode(column: "at", as: Int64.self)),
                staffID: try row.decode(column: "staff_id", as: Int64?.self),
                actor: try row.decode(column: "actor", as: String.self),
                action: try row.decode(column: "action", as: String.self),
                subject: try row.decode(column: "subject", as: String?.self),
                details: try row.decode(column: "details", as: String?.self),
                clientHash: try row.decode(column: "client_hash", as: String?.self)
            )
        }
    }
}
