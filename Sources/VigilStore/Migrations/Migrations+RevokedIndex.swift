extension Migrations {
    /// Signatures taken out of the count, by reason, in a partial index.
    ///
    /// The signature states that `/metrics` reports otherwise grouped every row of the table by
    /// its standing: 0.55–0.74 s for a million signatures, at every scrape. With this index and the
    /// two of migration 13 each state is counted from an index alone. Revocations are few, so
    /// the index is small and written only when staff invalidate or a signer withdraws.
    static let revokedIndex = Migration(
        version: 14,
        name: "signatures by revocation",
        statements: [
            "CREATE INDEX signatures_revoked ON signatures (revoked_reason) WHERE revoked_reason IS NOT NULL"
        ]
    )
}
