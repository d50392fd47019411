import SQLKit
import SQLiteKit
import SQLiteNIO
import VaporCSQLite

/// A row read by an ``InlineSQLiteConnection``, decoded as sqlite-kit decodes its own rows.
struct InlineSQLiteRow: SQLRow {
    /// The column names of one statement's result, shared by all its rows.
    final class Columns: Sendable {
        let names: [String]
        let offsets: [String: Int]
        var count: Int { names.count }

        init(_ statement: OpaquePointer) {
            let names = (0..<sqlite_nio_sqlite3_column_count(statement)).map { column in
                sqlite_nio_sqlite3_column_name(statement, column).map { String(cString: $0) } ?? ""
            }
            self.names = names
            // The first of two columns with the same name wins, as in sqlite-nio's rows.
            offsets = Dictionary(names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        }
    }

    let columns: Columns
    let values: [SQLiteData]

    /// One decoder for every row: each holds a `JSONDecoder`, which is not worth making per value.
    private static let decoder = SQLiteDataDecoder()

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.offsets[column] != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let offset = columns.offsets[column] else { return true }
        return values[offset] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let offset = columns.offsets[column] else {
            throw DecodingError.keyNotFound(
                SQLiteColumnKey(column), .init(codingPath: [], debugDescription: "no column '\(column)' in the row")
            )
        }
        return try Self.decoder.decode(D.self, from: values[offset])
    }
}

/// A column's name as a coding key, to name a missing column.
private struct SQLiteColumnKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
