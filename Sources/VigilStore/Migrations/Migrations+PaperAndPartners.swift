extension Migrations {
    /// Signatures that arrive on paper or from partner sites, and the counts of each channel.
    ///
    /// Accepted paper rows and partner pushes become rows of `signatures`, so that counting,
    /// the tally log, invalidation, erasure and the dossier treat them as they treat the rest;
    /// the channel says where each came from. A paper batch keeps its sheet and scans sealed,
    /// with the chain of custody, until the retention rule erases them (migration 16).
    static let paperAndPartners = Migration(
        version: 9,
        name: "paper batches, partner sites and counts by channel",
        statements: [
            """
            CREATE TABLE paper_batches (
                id INTEGER PRIMARY KEY,
                petition_id BIGINT NOT NULL REFERENCES petitions (id),
                committee_id BIGINT REFERENCES committees (id),
                status TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'rejected')),
                sheet BLOB NOT NULL,
                sheet_hash TEXT NOT NULL,
                row_count INTEGER NOT NULL,
                language TEXT NOT NULL,
                text_hash TEXT NOT NULL,
                collected_by TEXT NOT NULL,
                collected_on TEXT NOT NULL,
                received_by TEXT NOT NULL,
                received_on TEXT NOT NULL,
                note TEXT,
                submitted_by BIGINT NOT NULL REFERENCES staff (id),
                submitted_at BIGINT NOT NULL,
                reviewed_by BIGINT REFERENCES staff (id),
                reviewed_at BIGINT,
                review_note TEXT,
                counted INTEGER,
                duplicates INTEGER
            )
            """,
            "CREATE INDEX paper_batches_by_petition ON paper_batches (petition_id, status)",
            """
            CREATE TABLE paper_scans (
                id INTEGER PRIMARY KEY,
                batch_id BIGINT NOT NULL REFERENCES paper_batches (id),
                position INTEGER NOT NULL,
                file_name TEXT NOT NULL,
                media_type TEXT NOT NULL,
                content BLOB NOT NULL,
                content_hash TEXT NOT NULL,
                byte_count BIGINT NOT NULL,
                UNIQUE (batch_id, position)
            )
            """,
            """
            CREATE TABLE partners (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                website TEXT NOT NULL,
                contact TEXT NOT NULL,
                trusted BOOLEAN NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                token_hint TEXT NOT NULL,
                created_by BIGINT NOT NULL REFERENCES staff (id),
                created_at BIGINT NOT NULL,
                revoked_by BIGINT REFERENCES staff (id),
                revoked_at BIGINT,
                last_used_at BIGINT
            )
            """,
            "ALTER TABLE signatures ADD COLUMN channel TEXT NOT NULL DEFAULT 'online'",
            "ALTER TABLE signatures ADD COLUMN paper_batch_id BIGINT REFERENCES paper_batches (id)",
            "ALTER TABLE signatures ADD COLUMN partner_id BIGINT REFERENCES partners (id)",
            "ALTER TABLE signatures ADD COLUMN partner_tags TEXT",
            """
            CREATE TABLE channel_counts (
                petition_id BIGINT NOT NULL REFERENCES petitions (id),
                channel TEXT NOT NULL,
                confirmed_count BIGINT NOT NULL,
                PRIMARY KEY (petition_id, channel)
            )
            """,
            """
            INSERT INTO channel_counts (petition_id, channel, confirmed_count)
            SELECT petition_id, 'online', COUNT(*) FROM signatures
            WHERE status = 'confirmed' AND revoked_reason IS NULL
            GROUP BY petition_id
            """,
        ]
    )
}
