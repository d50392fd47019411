extension Migrations {
    /// The signers shown on the petition page: counted, with a name or comment staff approved,
    /// newest first. Without this index each rendering of the page walked every confirmed
    /// signature looking for the approved ones; with 60,000 signatures and the page's cache
    /// renewed under load, dozens of renderings at once each took up to half a second. Only
    /// approved signers are in it, so signing and confirming do not write to it.
    static let publicSignersIndex = Migration(
        version: 12,
        name: "public signers",
        statements: [
            """
            CREATE INDEX signatures_public ON signatures (petition_id, confirmed_at)
            WHERE status = 'confirmed' AND revoked_reason IS NULL
              AND (name_moderation = 'approved' OR comment_moderation = 'approved')
            """,
        ]
    )
}
