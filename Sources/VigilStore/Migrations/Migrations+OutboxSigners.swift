extension Migrations {
    /// Each message in the outbox names the signature it is about: the petition and the address's
    /// blind index.
    ///
    /// Recipients are sealed message by message and cannot be searched, so without this a
    /// signer who erased their personal data could still receive an update queued before, and
    /// their sealed address stayed in the outbox until the mail history ran out. Erasure now
    /// deletes their messages with the rest. The columns have no index: erasing is rare and
    /// reads the outbox once, while an index on a hash would take a page write at a random
    /// place for every signature. Messages queued before this migration name no one.
    static let outboxSigners = Migration(
        version: 15,
        name: "outbox messages by signature",
        statements: [
            "ALTER TABLE outbox ADD COLUMN petition_id BIGINT",
            "ALTER TABLE outbox ADD COLUMN email_index TEXT",
        ]
    )
}
