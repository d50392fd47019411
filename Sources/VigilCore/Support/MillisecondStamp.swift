/// The beginning of a key that must sort by time: a moment in milliseconds since 1970, as six
/// bytes big-endian (enough until the year 10889).
///
/// Keys that begin with it (Message-IDs, the stored hashes of confirmation tokens) make their
/// unique index grow at its end, so a batch of new keys changes the last page or two of it
/// instead of one random page each, every one of which the commit writes to SQLite's log.
public enum MillisecondStamp {
    /// Bytes in a stamp.
    public static let byteCount = 6

    /// The stamp of a moment; a moment before 1970 counts as 1970.
    public static func bytes(_ milliseconds: Int64) -> [UInt8] {
        let value = UInt64(max(0, milliseconds))
        return (0..<byteCount).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
