import Foundation
import VigilCore

/// The layout of a dossier's `tally.json`: valid JSON, written so that it can be read one line
/// at a time without holding a million entries in memory.
///
///     {"format":"vigil-tally/1","log":…,"entries":[      ← line 1: the header, then the array opens
///     {"index":0,"entry":"…",…},                          ← one entry per line
///     {"index":1,"entry":"…",…}
///     ],"totals":{…}}                                     ← last line: the totals
enum TallyFile {
    static let format = "vigil-tally/1"

    struct Header: Codable {
        let format: String
        let log: String
        let petition_id: Int64
        let tree_size: UInt64
        let root_hash: String
    }

    struct Footer: Codable {
        let totals: TallyTotals
    }

    static func header(log: String, petitionID: Int64, treeSize: UInt64, rootHash: MerkleHash) -> String {
        let header = Header(format: format, log: log, petition_id: petitionID, tree_size: treeSize, root_hash: rootHash.hex)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let object = (try? encoder.encode(header)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // The header's fields, then the opening of the entries array, on one line.
        return String(object.dropLast()) + ",\"entries\":[\n"
    }

    static func footer(totals: TallyTotals, encoder: JSONEncoder) throws -> String {
        let object = String(decoding: try encoder.encode(Footer(totals: totals)), as: UTF8.self)
        return "]," + object.dropFirst() + "\n"
    }

    /// Parses line 1 back into the header.
    static func parseHeader(_ line: String) throws -> Header {
        guard line.hasSuffix(",\"entries\":[") else { throw DossierError.logMismatch("tally.json does not start with its header line") }
        return try JSONDecoder().decode(Header.self, from: Data((line.dropLast(",\"entries\":[".count) + "}").utf8))
    }

    /// Parses an entry line.
    static func parseEntry(_ line: String) throws -> TallyEntryRecord {
        let trimmed = line.hasSuffix(",") ? String(line.dropLast()) : line
        return try JSONDecoder().decode(TallyEntryRecord.self, from: Data(trimmed.utf8))
    }

    /// Parses the last line back into the totals.
    static func parseFooter(_ line: String) throws -> TallyTotals {
        guard line.hasPrefix("],") else { throw DossierError.logMismatch("tally.json does not end with its totals line") }
        return try JSONDecoder().decode(Footer.self, from: Data(("{" + line.dropFirst(2)).utf8)).totals
    }
}
