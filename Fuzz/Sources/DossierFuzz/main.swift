// The offline dossier check of `vigil verify FILE.zip`: the input's documents (manifest.json,
// sth.json, tally.json, index.html, signatories.csv) are put in a ZIP and verified. An empty
// manifest document stands for a manifest signed over the other four, so that the mutator gets
// past the signature to the tree head and the entries.
import Crypto
import Foundation
import FuzzSupport
import VigilCore
@testable import VigilWeb
import ZIPFoundation

@_cdecl("LLVMFuzzerTestOneInput")
public func testDossier(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { Fuzz.test(data, size, DossierHarness.check) }

@_cdecl("LLVMFuzzerInitialize")
public func initializeDossier(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutableRawPointer) -> CInt { Fuzz.initialize(seeds: DossierHarness.seeds) }

// SwiftPM makes this file's top-level code the program's main; libFuzzer takes over from here.
exit(Fuzz.run())

enum DossierHarness {
    static let names = ["sth.json", "tally.json", "index.html", "signatories.csv"]
    static let archive = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-fuzz-dossier-\(getpid()).zip")

    static func check(_ bytes: [UInt8]) {
        let documents = Fuzz.documents(bytes, count: 1 + names.count)
        let files = Array(zip(names, documents.dropFirst().map { Data($0) }))
        let manifest = documents[0].isEmpty ? Data(signedManifest(files)) : Data(documents[0])
        try? FileManager.default.removeItem(at: archive)
        do {
            let writer = try Archive(url: archive, accessMode: .create)
            for (name, data) in [("manifest.json", manifest)] + files {
                try writer.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .none) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
        } catch {
            fatalError("cannot write \(archive.path): \(error)")
        }

        let report = DossierVerifier.verify(archive: archive)
        Fuzz.require(!report.checks.isEmpty, "a dossier checked with no check")
        guard report.passed else { return }
        // A dossier that verifies holds together, and verifies again.
        guard let totals = report.totals, let head = report.treeHead else {
            Fuzz.require(false, "a dossier verified without its tree head and totals")
            return
        }
        Fuzz.require(totals.isConsistent && totals.entries == Int(exactly: head.head.size), "verified totals \(totals) for a head of \(head.head.size)")
        Fuzz.require(totals.counted == totals.additions - totals.revocations + totals.reinstatements, "verified count does not add up")
        let again = DossierVerifier.verify(archive: archive)
        Fuzz.require(again.passed && again.checks.map(\.detail) == report.checks.map(\.detail), "a dossier verifies differently twice")
    }

    /// The manifest the dossier builder writes for these files, signed with the fuzzing key.
    static func signedManifest(_ files: [(String, Data)]) -> [UInt8] {
        var manifest = DossierManifest(
            petition: SampleLog.petitionSlug,
            createdAt: 1_796_000_100_000,
            files: files.map { name, data in
                DossierManifest.File(name: name, sha256: SHA256.hash(data: data).hexString, size: UInt64(data.count))
            },
            publicKey: Fuzz.logKey.publicKey
        )
        do {
            try manifest.sign(with: Fuzz.logKey)
        } catch {
            fatalError("cannot sign the manifest: \(error)")
        }
        return SampleLog.json(manifest)
    }

    /// A dossier of the sample log as DossierBuilder lays it out: once with the manifest left to
    /// the harness, once with the manifest itself, once with a log that is cut short.
    static func seeds() throws -> [(name: String, bytes: [UInt8])] {
        let log = SampleLog()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var tally = TallyFile.header(
            log: SampleLog.petitionSlug, petitionID: SampleLog.petitionID, treeSize: log.head.head.size, rootHash: log.head.head.root
        )
        for (index, entry) in log.entries.enumerated() {
            tally += String(decoding: SampleLog.json(TallyEntryRecord(index: UInt64(index), entry: entry)), as: UTF8.self)
            tally += index + 1 < log.entries.count ? ",\n" : "\n"
        }
        tally += try TallyFile.footer(totals: TallyTotals.of(log.entries), encoder: encoder)
        let index = Array("<!doctype html><html lang=\"en\"><title>Dossier</title><h1>Petition for the Armenian detainees</h1></html>\n".utf8)
        let signatories = Array("name,country,signed_on\r\nAnna Petrosyan,AM,2026-11-28\r\n\"Dupont, Jean\",FR,2026-11-28\r\n'=cmd,RU,2026-11-29\r\n".utf8)
        let files = [SampleLog.json(log.head), Array(tally.utf8), index, signatories]
        let manifest = signedManifest(Array(zip(names, files.map { Data($0) })))
        let cut = Array(tally.split(separator: "\n").prefix(3).joined(separator: "\n").utf8)
        return [
            (name: "signed-by-harness", bytes: Fuzz.joined([[]] + files)),
            (name: "with-manifest", bytes: Fuzz.joined([manifest] + files)),
            (name: "log-cut-short", bytes: Fuzz.joined([[], files[0], cut, index, signatories])),
        ]
    }
}
