/// What can go wrong in the store, in words an operator can act on.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// The data folder or a key file could not be created or read.
    case dataDirectory(String)
    /// A campaign content file is missing or malformed; the message names the file and the field.
    case content(file: String, problem: String)
    /// One record of a content file is wrong; the message names the file, the record and the field.
    case contentRecord(file: String, record: String, field: String, problem: String)
    /// A row read from the database does not have the expected shape.
    case corruptRow(table: String, problem: String)
    /// The signature writer is stopping and takes no more work.
    case shuttingDown
    /// Something the caller referred to does not exist.
    case notFound(String)
    /// A request that cannot be carried out as given; nothing was changed.
    case invalidRequest(String)
    /// The change would clash with what is stored, such as a second account for one address.
    case conflict(String)
    /// The master key given is not the one the database is sealed with.
    case wrongKey(recorded: String, given: String)
    /// Another process holds the data folder's lock: a server, or a command that must run alone.
    case dataFolderInUse(folder: String, pid: Int32?)
    /// The database refused a statement, with its message and SQLSTATE code.
    case database(message: String, code: String)
    /// The database server could not be reached; the message names it (without its password) and why.
    case databaseUnreachable(String)

    public var description: String {
        switch self {
        case .dataDirectory(let message): "data folder: \(message)"
        case .content(let file, let problem): "campaign content \(file): \(problem)"
        case .contentRecord(let file, let record, let field, let problem):
            "campaign content \(file), record \(record), field \(field): \(problem)"
        case .corruptRow(let table, let problem): "unexpected row in \(table): \(problem)"
        case .shuttingDown: "the signature writer is shutting down"
        case .notFound(let what): "not found: \(what)"
        case .invalidRequest(let problem): problem
        case .conflict(let what): what
        case .wrongKey(let recorded, let given):
            "the master key file (key id \(given)) is not the key this database is sealed with (key id \(recorded)); "
                + "use the right key file, or restore the database that goes with this key"
        case .dataFolderInUse(let folder, let pid):
            "the data folder \(folder) is in use by another Vigil process"
                + (pid.map { " (pid \($0))" } ?? "")
                + "; only one server may use a SQLite database: stop that process first"
        case .database(let message, let code): "the database refused a statement: \(message) (SQLSTATE \(code))"
        case .databaseUnreachable(let problem): "cannot connect to the database \(problem)"
        }
    }
}
