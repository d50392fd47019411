extension Migrations {
    /// Confirmed signatures per petition and day, kept by the writer like the other counts, so
    /// the public chart of signatures by day never counts rows. Filled from the signatures
    /// confirmed before it existed.
    static let dailyCounts = Migration(
        version: 8,
        name: "daily counts of confirmed signatures",
        statements: [
            """
            CREATE TABLE daily_counts (
                petition_id BIGINT NOT NULL REFERENCES petitions (id),
                day BIGINT NOT NULL,
                confirmed_count BIGINT NOT NULL,
                PRIMARY KEY (petition_id, day)
            )
            """,
            """
            INSERT INTO daily_counts (petition_id, day, confirmed_count)
            SELECT petition_id, confirmed_at / 86400000, COUNT(*) FROM signatures
            WHERE status = 'confirmed' AND revoked_reason IS NULL AND confirmed_at IS NOT NULL
            GROUP BY petition_id, confirmed_at / 86400000
            """,
        ]
    )
}
