/// One step of the schema's history. Steps are applied in order, each once, in its own transaction.
struct Migration: Sendable {
    /// Increasing number; the schema's version is the highest applied.
    let version: Int
    let name: String
    let statements: [String]
}
