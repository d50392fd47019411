#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

extension Store {
    /// Writes a consistent copy of the SQLite database at `path` to `destination`, while servers
    /// and commands keep using it, readable by its owner only (0600). Refuses to overwrite a file.
    ///
    /// It runs `VACUUM INTO`, which reads the database in one read transaction: the copy is the
    /// database as of one commit, whatever is written meanwhile, and includes what is still in the
    /// write-ahead log. Nothing is migrated or written in the source.
    public static func backupSQLite(path: String, to destination: URL, logger: Logger = Logger(label: "vigil.store")) async throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.notFound("no database at \(path)")
        }
        try createOwnerOnlyFile(destination)
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        do {
            let connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: pool, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()
            )
            do {
                let database = connection.sql()
                try await database.raw("PRAGMA busy_timeout = 5000").run()
                try await database.raw("VACUUM INTO \(bind: destination.path)").run()
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        } catch {
            try? FileManager.default.removeItem(at: destination)
            try? await pool.shutdownGracefully()
            throw error
        }
        try await pool.shutdownGracefully()
    }
}

/// Creates an empty file readable by its owner only (0600), refusing one that exists.
///
/// The backup is written into it, so the copy is never readable by others, and `O_EXCL` makes an
/// existing file a refusal rather than a race.
private func createOwnerOnlyFile(_ file: URL) throws {
    let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
        let reason = errno
        if reason == EEXIST {
            throw StoreError.invalidRequest("\(file.path) already exists; choose a new file name (a backup never overwrites)")
        }
        throw StoreError.invalidRequest("cannot create \(file.path): \(String(cString: strerror(reason)))")
    }
    // The umask may have taken bits away, never added them; this makes the mode exact.
    let modeSet = fchmod(descriptor, 0o600) == 0
    close(descriptor)
    guard modeSet else {
        try? FileManager.default.removeItem(at: file)
        throw StoreError.invalidRequest("cannot make \(file.path) owner-only")
    }
}
