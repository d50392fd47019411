extension Migrations {
    /// Signing limits counted in the database, for servers that share one: a row per limited
    /// key and period (a keyed hash of a client address or network, never the address), with
    /// the hits of its current window.
    static let sharedRateWindows = Migration(
        version: 11,
        name: "signing limits shared by several servers",
        statements: [
            """
            CREATE TABLE rate_windows (
                key TEXT PRIMARY KEY,
                window_start BIGINT NOT NULL,
                hits BIGINT NOT NULL
            )
            """,
            "CREATE INDEX rate_windows_by_start ON rate_windows (window_start)",
        ]
    )
}
