import Foundation
import Logging
import SQLKit

extension Store {
    /// The schema version this build of Vigil expects.
    public static var schemaVersion: Int { Migrations.all.last?.version ?? 0 }

    /// Applies every migration not yet recorded in `schema_migrations`, each in its own transaction.
    static func migrate(_ database: any SQLDatabase, engine: DatabaseEngine, logger: Logger, now: () -> Date) async throws {
        guard let lock = engine.migrationLock else {
            return try await applyMigrations(database, engine: engine, logger: logger, now: now)
        }
        try await database.raw(SQLQueryString(lock.take)).run()
        do {
            try await applyMigrations(database, engine: engine, logger: logger, now: now)
        } catch {
            try? await database.raw(SQLQueryString(lock.release)).run()
            throw error
        }
        try await database.raw(SQLQueryString(lock.release)).run()
    }

    private static func applyMigrations(_ database: any SQLDatabase, engine: DatabaseEngine, logger: Logger, now: () -> Date) async throws {
        // The version is given, never numbered by the database.
        try await database.raw(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at BIGINT NOT NULL
            )
            """
        ).run()
        let applied = Set(
            try await database.raw("SELECT version FROM schema_migrations").all().map {
                try $0.decode(column: "version", as: Int.self)
            }
        )
        if let newest = applied.max(), newest > schemaVersion {
            throw StoreError.dataDirectory(
                "the database has schema version \(newest), newer than this build of Vigil (\(schemaVersion)); run a newer Vigil"
            )
        }
        for migration in Migrations.all where !applied.contains(migration.version) {
            try await database.raw(SQLQueryString(engine.beginWriting)).run()
            do {
                for statement in migration.statements {
                    guard let text = engine.schema(statement) else { continue }
                    try await database.raw(SQLQueryString(text)).run()
                }
                try await database.raw(
                    """
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: now().storedMilliseconds))
                    """
                ).run()
                try await database.raw("COMMIT").run()
                logger.info("applied migration \(migration.version): \(migration.name)")
            } catch {
                try? await database.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}
