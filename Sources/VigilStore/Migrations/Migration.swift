/// One step of the schema's history. Steps are applied in order, each once, in its own transaction.
struct Migration: Sendable {
    /// Increasing number; the schema's version is the highest applied.
    let version: Int
    let name: String
    let statements: [MigrationStatement]
}

/// One statement of a migration: written once in SQLite's dialect and carried over to
/// PostgreSQL by ``DatabaseEngine/schema(_:)``, or given in both where they cannot share a text.
enum MigrationStatement: Sendable, ExpressibleByStringLiteral {
    case portable(String)
    /// A statement each engine spells its own way; `nil` where one engine needs none.
    case differing(sqlite: String?, postgres: String?)

    init(stringLiteral text: String) {
        self = .portable(text)
    }

    /// The function behind ``refusingChanges(to:trigger:message:)`` on PostgreSQL, whose triggers
    /// call a function where SQLite's hold their statements. Created with the first such trigger.
    static let refuseChangeFunction = MigrationStatement.differing(
        sqlite: nil,
        postgres: """
            CREATE FUNCTION vigil_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$
            """
    )

    /// Triggers that refuse every change to, and every deletion of, the rows of an append-only table. every change to the rows of an append-only table, with `message`.
    static func refusingChanges(to table: String, trigger: String, message: String) -> [MigrationStatement] {
        ["UPDATE", "DELETE"].map { operation in
            let name = "\(trigger)_no_\(operation.lowercased())"
            return .differing(
                sqlite: """
                    CREATE TRIGGER \(name) BEFORE \(operation) ON \(table)
                    BEGIN SELECT RAISE(ABORT, '\(message)'); END
                    """,
                postgres: """
                    CREATE TRIGGER \(name) BEFORE \(operation) ON \(table)
                    FOR EACH ROW EXECUTE FUNCTION vigil_refuse_change('\(message)')
                    """
            )
        }
    }
}
