import Foundation
import VigilCore
import VigilStore
import ZIPFoundation

/// How far a dossier build has come, for a progress line on the terminal.
public struct DossierProgress: Sendable {
    public let step: String
    public let done: UInt64
    public let total: UInt64
}

/// What a built dossier holds.
public struct DossierSummary: Sendable {
    public let treeHead: SignedTreeHead
    public let totals: TallyTotals
    public let listed: Int
    public let files: [DossierManifest.File]
}

/// Builds the delivery dossier of a petition: a ZIP with `index.html` (the printable
/// document), `signatories.csv`, `tally.json`, `sth.json` and the signed `manifest.json`.
///
/// Everything is streamed: entries and signatories are read from the database a page at a
/// time and written to temporary files while being hashed, and ZIPFoundation copies those
/// files into the archive in chunks, so memory stays flat however many signatures there are.
public struct DossierBuilder: Sendable {
    let store: Store
    let renderer: PageRenderer
    let key: TallyLogKey
    let publicURL: String
    let now: @Sendable () -> Date

    public static let fileNames = ["index.html", "signatories.csv", "tally.json", "sth.json"]

    public init(store: Store, key: TallyLogKey, publicURL: String, now: @escaping @Sendable () -> Date = { Date() }) async throws {
        self.init(
            store: store, renderer: try await PageRenderer.load(campaignNames: try await store.campaignNames(), publicURL: publicURL), key: key,
            publicURL: publicURL, now: now
        )
    }

    /// A builder that renders with templates already loaded, as the running server has them.
    init(store: Store, renderer: PageRenderer, key: TallyLogKey, publicURL: String, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.renderer = renderer
        self.key = key
        self.publicURL = publicURL
        self.now = now
    }

    public func build(
        slug: String,
        to output: URL,
        progress: @escaping @Sendable (DossierProgress) -> Void = { _ in }
    ) async throws -> DossierSummary {
        guard !FileManager.default.fileExists(atPath: output.path) else { throw DossierError.outputExists(output.path) }
        guard let petition = try await store.petition(slug: slug) else { throw DossierError.noPetition(slug) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-dossier-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        // The head fixes what the dossier covers: entries signed in while it is built stay out.
        let head = try await store.signTreeHead(petitionID: petition.id, key: key)
        let size = head.head.size
        var files: [DossierManifest.File] = []

        progress(DossierProgress(step: "tally.json", done: 0, total: size))
        let totals = try await writeTally(petition: petition, head: head, to: folder.appendingPathComponent("tally.json"), progress: progress)
        files.append(totals.file)

        let counted = UInt64(max(totals.totals.counted, 0))
        progress(DossierProgress(step: "signatories.csv", done: 0, total: counted))
        let signatories = try await writeSignatories(petitionID: petition.id, size: size, to: folder.appendingPathComponent("signatories.csv"))
        progress(DossierProgress(step: "signatories.csv", done: counted, total: counted))
        files.append(signatories.file)

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        files.append(try Self.write(try encoder.encode(head), to: folder.appendingPathComponent("sth.json")))

        progress(DossierProgress(step: "index.html", done: 0, total: 1))
        let index = try await indexPage(petition: petition, head: head, totals: totals.totals, listed: signatories.count)
        files.append(try Self.write(Data(try renderer.render("dossier", index).utf8), to: folder.appendingPathComponent("index.html")))
        progress(DossierProgress(step: "index.html", done: 1, total: 1))
        files.sort { $0.name < $1.name }

        var manifest = DossierManifest(
            petition: petition.slug, createdAt: Int64((now().timeIntervalSince1970 * 1000).rounded()), files: files,
            publicKey: key.publicKey
        )
        try manifest.sign(with: key)
        _ = try Self.write(try encoder.encode(manifest), to: folder.appendingPathComponent("manifest.json"))

        progress(DossierProgress(step: output.lastPathComponent, done: 0, total: UInt64(files.count + 1)))
        let partial = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).partial")
        try? FileManager.default.removeItem(at: partial)
        do {
            let archive = try Archive(url: partial, accessMode: .create)
            for (offset, name) in (["manifest.json"] + files.map(\.name)).enumerated() {
                try archive.addEntry(with: name, relativeTo: folder, compressionMethod: .deflate)
                progress(DossierProgress(step: output.lastPathComponent, done: UInt64(offset + 1), total: UInt64(files.count + 1)))
            }
            try FileManager.default.moveItem(at: partial, to: output)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        return DossierSummary(treeHead: head, totals: totals.totals, listed: signatories.count, files: files)
    }

    private static func write(_ data: Data, to url: URL) throws -> DossierManifest.File {
        let writer = try HashingFileWriter(url: url)
        try writer.write(data)
        let (sha256, size) = try writer.finish()
        return DossierManifest.File(name: url.lastPathComponent, sha256: sha256, size: size)
    }

    /// Writes `tally.json`, one entry per line (see ``TallyFile``), checking on the way that
    /// the entries rebuild the head's root.
    private func writeTally(
        petition: Petition, head: SignedTreeHead, to url: URL, progress: @Sendable (DossierProgress) -> Void
    ) async throws -> (file: DossierManifest.File, totals: TallyTotals) {
        let size = head.head.size
        var revocations = TallyRevocations()
        for control in try await store.tallyControlEntries(petitionID: petition.id, size: size) {
            try revocations.read(try TallyEntry(bytes: control.bytes), at: control.index)
        }
        let writer = try HashingFileWriter(url: url)
        try writer.write(TallyFile.header(log: petition.slug, petitionID: petition.id, treeSize: size, rootHash: head.head.root))
        var totals = TallyTotals()
        var builder = MerkleTreeBuilder()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try await store.forEachTallyPage(petitionID: petition.id, size: size) { page in
            for stored in page {
                let entry = try TallyEntry(bytes: stored.bytes)
                totals.add(entry, stillCounted: revocations.isCounted(leaf: stored.index))
                builder.append(leafHash: MerkleTree.leafHash(stored.bytes))
                try writer.write(TallyEntryRecord(index: stored.index, entry: entry).json)
                try writer.write(stored.index + 1 < size ? ",\n" : "\n")
            }
            progress(DossierProgress(step: "tally.json", done: builder.size, total: size))
        }
        guard builder.root == head.head.root else {
            throw DossierError.logMismatch("the entries rebuild root \(builder.root.hex), the tree head says \(head.head.root.hex)")
        }
        try writer.write(TallyFile.footer(totals: totals, encoder: encoder))
        let (sha256, fileSize) = try writer.finish()
        return (DossierManifest.File(name: "tally.json", sha256: sha256, size: fileSize), totals)
    }

    /// Writes `signatories.csv`: name, country and date of signers who chose to be listed.
    private func writeSignatories(petitionID: Int64, size: UInt64, to url: URL) async throws -> (file: DossierManifest.File, count: Int) {
        let writer = try HashingFileWriter(url: url)
        try writer.write("name,country,signed_on\r\n")
        var count = 0
        try await store.forEachListedSignatory(petitionID: petitionID, leafCount: size) { page in
            for signatory in page {
                try writer.write(
                    [signatory.name, signatory.country, TallyDay(signatory.confirmedOn).iso].map(Self.csvField).joined(separator: ",") + "\r\n"
                )
            }
            count += page.count
        }
        let (sha256, fileSize) = try writer.finish()
        return (DossierManifest.File(name: "signatories.csv", sha256: sha256, size: fileSize), count)
    }

    /// A CSV field (RFC 4180), with a leading `'` on text a spreadsheet would run as a formula.
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        guard value.contains(where: { ",\"\r\n".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
