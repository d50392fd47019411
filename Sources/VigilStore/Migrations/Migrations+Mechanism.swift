extension Migrations {
    /// The Moscow Mechanism tracker: where the campaign stands with each participating State.
    ///
    /// Every change staff record is a new row, never an edit, so the whole history stays: a
    /// State's status is its latest row. The database refuses to change or delete a row, as it
    /// does for the audit log.
    static let mechanism = Migration(
        version: 6,
        name: "Moscow Mechanism tracker: advocacy status and notes per participating State",
        statements: [
            """
            CREATE TABLE advocacy_entries (
                id INTEGER PRIMARY KEY,
                country TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('not-contacted', 'contacted', 'met', 'supportive', 'committed', 'declined')),
                note TEXT,
                note_visibility TEXT NOT NULL CHECK (note_visibility IN ('public', 'internal')),
                noted_on BIGINT NOT NULL,
                staff_id BIGINT REFERENCES staff (id),
                actor TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX advocacy_entries_by_country ON advocacy_entries (country, id)",
        ] + MigrationStatement.refusingChanges(
            to: "advocacy_entries", trigger: "advocacy_entries", message: "advocacy entries cannot be changed"
        )
    )
}
