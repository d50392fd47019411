extension Migrations {
    /// What staff need to set aside a batch of signatures, and to undo it.
    ///
    /// Each signature keeps a keyed hash of the network it came from (a /24 or /48, dropped
    /// with the other client hashes after a few days) and of its e-mail domain (erased with
    /// the rest of its personal data); an invalidation batch records who set which signatures
    /// aside, by what criteria and why.
    static let invalidations = Migration(
        version: 5,
        name: "invalidation batches, network and e-mail domain hashes",
        statements: [
            "ALTER TABLE signatures ADD COLUMN network_hash TEXT",
            "ALTER TABLE signatures ADD COLUMN email_domain_hash TEXT",
            "ALTER TABLE signatures ADD COLUMN invalidation_id BIGINT",
            "CREATE INDEX signatures_by_network ON signatures (petition_id, network_hash)",
            "CREATE INDEX signatures_by_email_domain ON signatures (petition_id, email_domain_hash)",
            "CREATE INDEX signatures_by_invalidation ON signatures (invalidation_id)",
            """
            CREATE TABLE invalidations (
                id INTEGER PRIMARY KEY,
                petition_id BIGINT NOT NULL REFERENCES petitions (id),
                staff_id BIGINT REFERENCES staff (id),
                actor TEXT NOT NULL,
                reason TEXT NOT NULL,
                criteria TEXT NOT NULL,
                signature_count INTEGER NOT NULL,
                created_at BIGINT NOT NULL,
                undone_at BIGINT,
                undone_by TEXT
            )
            """,
            "CREATE INDEX invalidations_by_petition ON invalidations (petition_id, id)",
        ]
    )
}
