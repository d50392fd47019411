import Crypto
import Foundation
import VigilCore
import ZIPFoundation

/// The result of checking a dossier: each check with what it found.
public struct DossierReport: Sendable {
    public struct Check: Sendable {
        /// The file the check is about (or the archive itself).
        public let subject: String
        public let passed: Bool
        public let detail: String
    }

    public private(set) var checks: [Check] = []
    /// The tree head the dossier carries, once read.
    public private(set) var treeHead: SignedTreeHead?
    /// The totals recounted from the entries, once read.
    public private(set) var totals: TallyTotals?

    public var passed: Bool { !checks.isEmpty && checks.allSatisfy(\.passed) }
    /// The files or parts that failed, each named once, in the order found.
    public var failedSubjects: [String] {
        var seen: [String] = []
        for check in checks where !check.passed && !seen.contains(check.subject) { seen.append(check.subject) }
        return seen
    }

    mutating func record(_ subject: String, _ passed: Bool, _ detail: String) {
        checks.append(Check(subject: subject, passed: passed, detail: detail))
    }

    mutating func set(treeHead: SignedTreeHead) { self.treeHead = treeHead }
    mutating func set(totals: TallyTotals) { self.totals = totals }
}

/// Checks a dossier offline: every file's hash against the manifest, the manifest's and the
/// tree head's signatures, the Merkle root rebuilt from every entry, and the count.
///
/// It reads `tally.json` line by line as ZIPFoundation inflates it, so memory stays flat.
public enum DossierVerifier {
    public static func verify(archive url: URL, expectedKey: TallyLogPublicKey? = nil) -> DossierReport {
        var report = DossierReport()
        let name = url.lastPathComponent
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            report.record(name, false, "not a readable ZIP archive (\(error))")
            return report
        }

        // The manifest and its signature.
        guard let manifestData = try? read(archive, "manifest.json"),
              let manifest = try? JSONDecoder().decode(DossierManifest.self, from: manifestData),
              manifest.format == DossierManifest.currentFormat
        else {
            report.record("manifest.json", false, "missing, unreadable or not a \(DossierManifest.currentFormat) manifest")
            return report
        }
        guard let key = TallyLogPublicKey(base64: manifest.publicKey), manifest.isSigned else {
            report.record("manifest.json", false, "its signature does not match the public key it names")
            return report
        }
        report.record("manifest.json", true, "signed by the log key \(key.keyID.prefix(16))…")
        if let expectedKey {
            let same = expectedKey == key
            report.record("manifest.json", same, same
                ? "the signing key is the one expected"
                : "signed with key \(key.keyID.prefix(16))…, not the expected \(expectedKey.keyID.prefix(16))…")
        }

        // Every file's hash; nothing unlisted.
        let listed = Set(manifest.files.map(\.name))
        for required in DossierBuilder.fileNames where !listed.contains(required) {
            report.record(required, false, "not listed in the manifest")
        }
        for entry in archive where entry.path != "manifest.json" && !listed.contains(entry.path) {
            report.record(entry.path, false, "in the archive but not listed in the manifest")
        }
        for file in manifest.files {
            guard let entry = archive[file.name] else {
                report.record(file.name, false, "listed in the manifest but missing from the archive")
                continue
            }
            var hasher = SHA256()
            var size: UInt64 = 0
            do {
                _ = try archive.extract(entry) { chunk in
                    hasher.update(data: chunk)
                    size += UInt64(chunk.count)
                }
            } catch {
                report.record(file.name, false, "cannot be read from the archive (\(error))")
                continue
            }
            let digest = hasher.finalize().hexString
            let matches = digest == file.sha256 && size == file.size
            report.record(file.name, matches, matches
                ? "SHA-256 matches the manifest"
                : "SHA-256 \(digest.prefix(16))… (\(size) bytes) does not match the manifest's \(file.sha256.prefix(16))… (\(file.size) bytes)")
        }

        // The tree head.
        guard let headData = try? read(archive, "sth.json"), let head = try? JSONDecoder().decode(SignedTreeHead.self, from: headData) else {
            report.record("sth.json", false, "missing or not a signed tree head")
            return report
        }
        report.set(treeHead: head)
        let headSigned = head.isSigned(by: key)
        report.record("sth.json", headSigned, headSigned
            ? "tree head of \(head.head.size) entries signed by the same key"
            : "the tree head's signature does not match the log key")
        report.record("sth.json", head.head.log == manifest.petition, head.head.log == manifest.petition
            ? "names the petition \(manifest.petition)"
            : "names the log '\(head.head.log)', the manifest the petition '\(manifest.petition)'")

        // The entries: root, size and count.
        guard let entry = archive["tally.json"] else { return report }
        do {
            let recount = try recount(archive: archive, entry: entry, head: head)
            report.set(totals: recount.totals)
            for (passed, detail) in recount.findings { report.record("tally.json", passed, detail) }
        } catch {
            report.record("tally.json", false, "\(error)")
        }
        return report
    }

    private static func read(_ archive: Archive, _ name: String) throws -> Data {
        guard let entry = archive[name] else { throw DossierError.logMismatch("\(name) is missing") }
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        return data
    }

    /// Two passes over the entries, line by line: revocations first, then the root and the totals.
    private static func recount(archive: Archive, entry: Entry, head: SignedTreeHead) throws -> (findings: [(Bool, String)], totals: TallyTotals) {
        var revocations = TallyRevocations()
        try forEachLine(archive, entry) { number, line, _ in
            guard number > 1, line.hasPrefix("{\"") else { return }
            let record = try TallyFile.parseEntry(line)
            if record.kind != "addition" {
                try revocations.read(try record.decoded().entry, at: record.index)
            }
        }
        var header: TallyFile.Header?
        var declared: TallyTotals?
        var totals = TallyTotals()
        var builder = MerkleTreeBuilder()
        try forEachLine(archive, entry) { number, line, isLast in
            if number == 1 {
                header = try TallyFile.parseHeader(line)
            } else if line.hasPrefix("],") {
                declared = try TallyFile.parseFooter(line)
            } else if !(isLast && line.isEmpty) {
                let record = try TallyFile.parseEntry(line)
                guard record.index == builder.size else {
                    throw DossierError.logMismatch("line \(number) holds entry \(record.index), expected \(builder.size)")
                }
                let (parsed, bytes) = try record.decoded()
                totals.add(parsed, stillCounted: revocations.isCounted(leaf: record.index))
                builder.append(leafHash: MerkleTree.leafHash(bytes))
            }
        }
        guard let header, let declared else { throw DossierError.logMismatch("the header or the totals line is missing") }
        var findings: [(Bool, String)] = []
        findings.append((
            builder.size == head.head.size && header.tree_size == head.head.size,
            "\(builder.size) entries; the tree head says \(head.head.size)"
        ))
        findings.append((
            builder.root == head.head.root,
            builder.root == head.head.root
                ? "the Merkle root rebuilt from the entries equals the tree head's root \(head.head.root.hex.prefix(16))…"
                : "the Merkle root rebuilt from the entries is \(builder.root.hex.prefix(16))…, the tree head's is \(head.head.root.hex.prefix(16))…"
        ))
        let countMatches = declared == totals && totals.isConsistent
        findings.append((
            countMatches,
            countMatches
                ? "recounted: \(totals.counted) signatures count (\(totals.additions) added, \(totals.revocations) revoked, \(totals.reinstatements) reinstated)"
                : "the totals written in the file (\(declared.counted)) differ from the recount of its entries (\(totals.counted))"
        ))
        return (findings, totals)
    }

    /// Calls `body` with each line of an archived text file (numbered from 1), as it is inflated.
    private static func forEachLine(_ archive: Archive, _ entry: Entry, _ body: (Int, String, Bool) throws -> Void) throws {
        var pending = Data()
        var number = 0
        var failure: (any Error)?
        _ = try archive.extract(entry) { chunk in
            guard failure == nil else { return }
            pending.append(chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                number += 1
                do {
                    try body(number, String(decoding: pending[start..<newline], as: UTF8.self), false)
                } catch {
                    failure = error
                    return
                }
                start = pending.index(after: newline)
            }
            pending = Data(pending[start...])
        }
        if let failure { throw failure }
        try body(number + 1, String(decoding: pending, as: UTF8.self), true)
    }
}
