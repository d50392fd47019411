extension Migrations {
    /// Signatures by standing, in two partial indexes in place of `signatures_by_status` on
    /// `(petition_id, status)` and `signatures_by_leaf` on `(petition_id, tally_leaf)`.
    ///
    /// Confirming a signature moved its entry in the status index from the pending range to the
    /// confirmed range, both in id order: two pages written at random places per signature, as
    /// many as the row itself, in a transaction that confirms hundreds at a spike. Counted
    /// signatures are now indexed by their leaf in the tally log, which each confirmation takes
    /// next, so a batch adds its entries at the end of the index, as it did to the leaf index
    /// this one replaces. Pending signatures are in no status index, since every lookup of one
    /// goes by its token, its address or its committee; held ones, which staff list newest
    /// first, have an index of their own.
    static let standingIndexes = Migration(
        version: 13,
        name: "signatures by standing",
        statements: [
            "DROP INDEX signatures_by_status",
            "DROP INDEX signatures_by_leaf",
            "CREATE INDEX signatures_counted ON signatures (petition_id, tally_leaf) WHERE status = 'confirmed'",
            "CREATE INDEX signatures_held ON signatures (petition_id, id) WHERE status = 'held'",
        ]
    )
}
