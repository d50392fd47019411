extension Migrations {
    /// The tally log, its tree heads, revocations of signatures, and delivery tracking.
    ///
    /// `tally_nodes` keeps every complete subtree of each log (level 0: the leaves), so that a
    /// root or a proof needs a few dozen rows, not the whole log. A signature that no longer
    /// counts keeps `status = 'confirmed'` with `revoked_reason` set, because migration 1's
    /// CHECK constraint on `status` cannot be changed without rebuilding the table.
    static let tallyLog = Migration(
        version: 3,
        name: "tally log, tree heads, revocations and deliveries",
        statements: [
            "ALTER TABLE signatures ADD COLUMN tally_leaf BIGINT",
            "ALTER TABLE signatures ADD COLUMN receipt_nonce BLOB",
            "ALTER TABLE signatures ADD COLUMN revoked_at BIGINT",
            "ALTER TABLE signatures ADD COLUMN revoked_reason TEXT CHECK (revoked_reason IN ('withdrawn', 'invalidated'))",
            "ALTER TABLE signatures ADD COLUMN invalidation_note TEXT",
            """
            CREATE TABLE tally_logs (
                petition_id BIGINT PRIMARY KEY REFERENCES petitions (id),
                size BIGINT NOT NULL,
                additions BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE tally_entries (
                petition_id BIGINT NOT NULL REFERENCES petitions (id),
                leaf_index BIGINT NOT NULL,
                entry BLOB NOT NULL,
                target_leaf BIGINT,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (petition_id, leaf_index)
            )
            """,
            "CREATE INDEX tally_entries_by_target ON tally_entries (petition_id, target_leaf)",
            """
            CREATE TABLE tally_nodes (
                petition_id BIGINT NOT NULL REFERENCES petitions (id),
                level INTEGER NOT NULL,
                position BIGINT NOT NULL,
                hash BLOB NOT NULL,
                PRIMARY KEY (petition_id, level, position)
            )
            """,
            "CREATE INDEX tally_nodes_by_hash ON tally_nodes (petition_id, hash)",
            """
            CREATE TABLE tree_heads (
                id INTEGER PRIMARY KEY,
                petition_id BIGINT NOT NULL REFERENCES petitions (id),
                tree_size BIGINT NOT NULL,
                root_hash BLOB NOT NULL,
                signed_at BIGINT NOT NULL,
                signature BLOB NOT NULL,
                key_id TEXT NOT NULL
            )
            """,
            "CREATE INDEX tree_heads_by_petition ON tree_heads (petition_id, id)",
            """
            CREATE TABLE addressees (
                id INTEGER PRIMARY KEY,
                petition_id BIGINT NOT NULL REFERENCES petitions (id),
                name TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('office', 'delegation')),
                country TEXT,
                position INTEGER NOT NULL,
                created_at BIGINT NOT NULL,
                UNIQUE (petition_id, name)
            )
            """,
            """
            CREATE TABLE deliveries (
                id INTEGER PRIMARY KEY,
                addressee_id BIGINT NOT NULL REFERENCES addressees (id),
                delivered_at BIGINT NOT NULL,
                method TEXT NOT NULL,
                reference TEXT,
                note TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE delivery_answers (
                id INTEGER PRIMARY KEY,
                addressee_id BIGINT NOT NULL REFERENCES addressees (id),
                received_at BIGINT NOT NULL,
                summary TEXT NOT NULL,
                reference TEXT,
                created_at BIGINT NOT NULL
            )
            """,
        ]
    )
}
