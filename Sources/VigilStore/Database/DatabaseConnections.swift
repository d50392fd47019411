import SQLKit

/// The connections a store uses, whichever database is behind them: one for the signature
/// writer's group commits, one for every other write, and a few for reads.
///
/// Writes are split in two so that the writer's long-lived batching never waits behind staff
/// edits on the same connection, and each connection runs one transaction at a time.
protocol DatabaseConnections: Sendable {
    var engine: DatabaseEngine { get }
    var signatureWriter: any SQLDatabase { get }
    var otherWrites: any SQLDatabase { get }
    /// A connection for queries, taken in turn so reads spread over all of them.
    var reader: any SQLDatabase { get }
    func close() async
}
