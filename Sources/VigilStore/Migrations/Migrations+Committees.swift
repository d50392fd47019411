extension Migrations {
    /// Local committees, their referral credit on signatures, and their running counts.
    ///
    /// A committee's count is kept beside the petition's and the countries', by the same
    /// writer in the same transaction, so the public league never counts rows.
    static let committees = Migration(
        version: 7,
        name: "committees: referral codes, credited signatures and counts",
        statements: [
            """
            CREATE TABLE committees (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                petition_id BIGINT NOT NULL REFERENCES petitions (id),
                name TEXT NOT NULL,
                city TEXT NOT NULL,
                country TEXT NOT NULL,
                contact TEXT NOT NULL,
                languages TEXT NOT NULL,
                goal INTEGER CHECK (goal IS NULL OR goal > 0),
                shown_in_league BOOLEAN NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "ALTER TABLE signatures ADD COLUMN committee_id BIGINT REFERENCES committees (id)",
            "CREATE INDEX signatures_by_committee ON signatures (committee_id, confirmed_at) WHERE committee_id IS NOT NULL",
            """
            CREATE TABLE committee_counts (
                petition_id BIGINT NOT NULL REFERENCES petitions (id),
                committee_id BIGINT NOT NULL REFERENCES committees (id),
                confirmed_count BIGINT NOT NULL,
                PRIMARY KEY (petition_id, committee_id)
            )
            """,
        ]
    )
}
