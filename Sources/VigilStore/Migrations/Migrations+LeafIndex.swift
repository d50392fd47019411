extension Migrations {
    /// Signatures by their leaf in the tally log. The dossier lists the signers who chose to be
    /// named in the order they were counted, a page at a time after the last leaf of the page
    /// before; without this index each page sorted every confirmed signature again, so building
    /// the dossier of a million signatures took minutes instead of seconds.
    static let leafIndex = Migration(
        version: 10,
        name: "signatures by tally leaf",
        statements: [
            "CREATE INDEX signatures_by_leaf ON signatures (petition_id, tally_leaf) WHERE tally_leaf IS NOT NULL",
        ]
    )
}
