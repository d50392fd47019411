import Foundation
import SQLKit

extension Store {
    /// Starts a session. Only the hash of its id is stored, so the sessions table cannot be used
    /// to take over a browser.
    public func startStaffSession(
        idHash: String,
        staffID: Int64,
        stage: StaffSession.Stage,
        expiresAt: Date,
        clientHash: String?
    ) async throws {
        let nowMS = now().storedMilliseconds
        try await write { database in
            try await database.raw(
                """
                INSERT INTO staff_sessions (id_hash, staff_id, stage, created_at, last_seen_at, expires_at, client_hash)
                VALUES (\(bind: idHash), \(bind: staffID), \(bind: stage.rawValue), \(bind: nowMS), \(bind: nowMS),
                        \(bind: expiresAt.storedMilliseconds), \(bind: clientHash))
                """
            ).run()
        }
    }

    /// The session with this id hash, if it exists (expiry is the caller's judgement).
    public func staffSession(idHash: String) async throws -> StaffSession? {
        guard let row = try await reader.raw(
            "SELECT staff_id, stage, created_at, last_seen_at, expires_at FROM staff_sessions WHERE id_hash = \(bind: idHash)"
        ).first() else { return nil }
        let stageText = try row.decode(column: "stage", as: String.self)
        guard let stage = StaffSession.Stage(rawValue: stageText) else {
            throw StoreError.corruptRow(table: "staff_sessions", problem: "stage '\(stageText)'")
        }
        return StaffSession(
            staffID: try row.decode(column: "staff_id", as: Int64.self),
            stage: stage,
            createdAt: Date(storedMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            lastSeenAt: Date(storedMilliseconds: try row.decode(column: "last_seen_at", as: Int64.self)),
            expiresAt: Date(storedMilliseconds: try row.decode(column: "expires_at", as: Int64.self))
        )
    }

    /// Notes activity on a session, for the idle timeout.
    public func touchStaffSession(idHash: String) async throws {
        try await write { database in
            try await database.raw(
                "UPDATE staff_sessions SET last_seen_at = \(bind: now().storedMilliseconds) WHERE id_hash = \(bind: idHash)"
            ).run()
        }
    }

    /// Replaces a session by a new one with a new id, at a later stage: the id a browser had
    /// before signing in never becomes a signed-in session (no session fixation).
    public func advanceStaffSession(from oldHash: String, to newHash: String, stage: StaffSession.Stage) async throws {
        try await transaction { database in
            try await database.raw(
                """
                INSERT INTO staff_sessions (id_hash, staff_id, stage, created_at, last_seen_at, expires_at, client_hash)
                SELECT \(bind: newHash), staff_id, \(bind: stage.rawValue), created_at, \(bind: now().storedMilliseconds),
                       expires_at, client_hash
                FROM staff_sessions WHERE id_hash = \(bind: oldHash)
                """
            ).run()
            try await database.raw("DELETE FROM staff_sessions WHERE id_hash = \(bind: oldHash)").run()
        }
    }

    /// Ends one session.
    public func endStaffSession(idHash: String) async throws {
        try await write { database in
            try await database.raw("DELETE FROM staff_sessions WHERE id_hash = \(bind: idHash)").run()
        }
    }

    /// Ends every session of an account: "sign out everywhere".
    public func endAllStaffSessions(staffID: Int64, audit entry: AuditRecord) async throws {
        try await transaction { database in
            try await database.raw("DELETE FROM staff_sessions WHERE staff_id = \(bind: staffID)").run()
            try await appendAudit(entry.about("staff:\(staffID)"), on: database)
        }
    }

    /// How many sessions an account has open.
    public func staffSessionCount(staffID: Int64) async throws -> Int {
        try await reader.raw("SELECT COUNT(*) AS n FROM staff_sessions WHERE staff_id = \(bind: staffID)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }
}
