extension Migrations {
    /// When the retention rule erased a paper batch's sheet and scans.
    ///
    /// The typed sheet and the scans carry the names and addresses of everyone on the paper, so
    /// they go with the petition's other personal data, `RETENTION_DAYS` after it closed or was
    /// delivered. Their SHA-256 hashes and the chain of custody stay, so the paper itself, wherever
    /// it is kept, can still be matched to the batch that counted it.
    static let paperErasure = Migration(
        version: 16,
        name: "paper batches erased by the retention rule",
        statements: [
            "ALTER TABLE paper_batches ADD COLUMN erased_at BIGINT"
        ]
    )
}
