import NIOCore
import SQLiteNIO
import VaporCSQLite

/// A connection to a SQLite file whose statements run on the thread that calls it, with the
/// statements it prepared kept for the next time the same SQL comes.
///
/// It serves the signature writer alone, on the ``WritingThread``. sqlite-nio runs every
/// statement on a thread pool and hands each row back through an event loop; a batch of the
/// writer is about twenty statements in a row, each of which then waited for two threads to
/// wake. Here a batch runs from `BEGIN` to `COMMIT` on one thread (docs/decisions.md, "The
/// signature writer's connection runs on the writing thread").
///
/// Not safe to use from two threads at once: ``InlineSQLiteDatabase`` runs every call on the
/// writing thread, and the connection is opened without SQLite's own mutex.
final class InlineSQLiteConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    /// Prepared statements by their SQL, the most recently used last.
    private var prepared: [String: OpaquePointer] = [:]
    private var preparedOrder: [String] = []

    /// How many prepared statements are kept. The writer's statements differ with the size of
    /// the batch; the fixed ones (`BEGIN`, `COMMIT`, the counters, the tally's heads) and the
    /// common sizes stay.
    static let preparedLimit = 64

    /// Opens (or creates) the file at `path`.
    init(path: String) throws {
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        var handle: OpaquePointer?
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "cannot open"
            sqlite_nio_sqlite3_close(handle)
            throw InlineSQLiteError(code: status, message: "\(message) (\(path))")
        }
        self.handle = handle
    }

    deinit { close() }

    /// Runs one statement with its parameters, handing each row to `onRow` as it is read.
    func run(_ sql: String, _ binds: [SQLiteData], onRow: (InlineSQLiteRow) throws -> Void) throws {
        let statement = try statement(for: sql)
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        for (offset, value) in binds.enumerated() {
            try check(bind(value, at: Int32(offset + 1), in: statement), sql)
        }
        var columns: InlineSQLiteRow.Columns?
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw failure(status, sql) }
            let names = columns ?? InlineSQLiteRow.Columns(statement)
            columns = names
            try onRow(InlineSQLiteRow(columns: names, values: try (0..<names.count).map { try value(at: Int32($0), in: statement) }))
        }
    }

    /// Finalises the kept statements and closes the file. Later calls fail.
    func close() {
        for statement in prepared.values { sqlite_nio_sqlite3_finalize(statement) }
        prepared.removeAll()
        preparedOrder.removeAll()
        if let handle { sqlite_nio_sqlite3_close(handle) }
        handle = nil
    }

    // MARK: Statements

    private func statement(for sql: String) throws -> OpaquePointer {
        if let statement = prepared[sql] {
            if let position = preparedOrder.lastIndex(of: sql), position != preparedOrder.count - 1 {
                preparedOrder.remove(at: position)
                preparedOrder.append(sql)
            }
            return statement
        }
        guard let handle else { throw InlineSQLiteError(code: SQLITE_MISUSE, message: "the connection is closed") }
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else {
            sqlite_nio_sqlite3_finalize(statement)
            throw failure(status, sql)
        }
        if preparedOrder.count >= Self.preparedLimit {
            let oldest = preparedOrder.removeFirst()
            prepared.removeValue(forKey: oldest).map { _ = sqlite_nio_sqlite3_finalize($0) }
        }
        prepared[sql] = statement
        preparedOrder.append(sql)
        return statement
    }

    private func bind(_ value: SQLiteData, at index: Int32, in statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let integer):
            sqlite_nio_sqlite3_bind_int64(statement, index, Int64(integer))
        case .float(let double):
            sqlite_nio_sqlite3_bind_double(statement, index, double)
        case .text(let text):
            sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
        case .blob(let buffer):
            buffer.withUnsafeReadableBytes { bytes in
                // SQLite binds a blob without an address as NULL, and an empty buffer may have none.
                guard let address = bytes.baseAddress, !bytes.isEmpty else { return sqlite_nio_sqlite3_bind_zeroblob(statement, index, 0) }
                return sqlite_nio_sqlite3_bind_blob64(statement, index, address, UInt64(bytes.count), transient)
            }
        case .null:
            sqlite_nio_sqlite3_bind_null(statement, index)
        }
    }

    private func value(at column: Int32, in statement: OpaquePointer) throws -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT:
            return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            let bytes = sqlite_nio_sqlite3_column_text(statement, column)
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(bytes.map { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) } ?? "")
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, column) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        case SQLITE_NULL:
            return .null
        case let type:
            throw InlineSQLiteError(code: SQLITE_MISMATCH, message: "column \(column) has storage class \(type)")
        }
    }

    private func check(_ status: Int32, _ sql: String) throws {
        guard status == SQLITE_OK else { throw failure(status, sql) }
    }

    private func failure(_ status: Int32, _ sql: String) -> InlineSQLiteError {
        let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "unknown error"
        return InlineSQLiteError(code: status, message: "\(message) in \(sql.prefix(200))")
    }
}

/// Tells SQLite to copy a bound value before the call returns (`SQLITE_TRANSIENT`).
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A failure that SQLite reported on the signature writer's connection.
struct InlineSQLiteError: Error, CustomStringConvertible {
    /// SQLite's extended result code.
    let code: Int32
    let message: String

    var description: String { "SQLite error \(code): \(message)" }
}
