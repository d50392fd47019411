import SQLKit

extension Store {
    /// Whether staff have switched the site to "under attack", when the sign form asks for a
    /// proof of work. Kept in the database so every server sharing it follows the switch.
    public func underAttack() async throws -> Bool {
        try await reader.raw("SELECT value FROM instance_settings WHERE key = 'under_attack'").first()?
            .decode(column: "value", as: String.self) == "on"
    }

    /// Turns "under attack" on or off, with its line in the audit log in the same transaction.
    public func setUnderAttack(_ on: Bool, audit: AuditRecord) async throws {
        var record = audit
        record.details["state"] = on ? "on" : "off"
        try await transaction { database in
            try await database.raw(
                """
                INSERT INTO instance_settings (key, value) VALUES ('under_attack', \(bind: on ? "on" : "off"))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """
            ).run()
            try await appendAudit(record.about("instance"), on: database)
        }
    }
}
