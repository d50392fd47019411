// The content importer: one campaign file replaced by the input, in an otherwise real campaign,
// read by CampaignContent.load as `vigil content import` and the first start read it.
import Foundation
import FuzzSupport
import VigilCore
import VigilStore

@_cdecl("LLVMFuzzerTestOneInput")
public func testContent(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { Fuzz.test(data, size, ContentHarness.check) }

@_cdecl("LLVMFuzzerInitialize")
public func initializeContent(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutableRawPointer) -> CInt {
    // The campaign is laid out before the first input, so its one-time cost is neither counted
    // against that input's time limit nor reported as a leak of that input.
    _ = ContentHarness.folder
    return Fuzz.initialize(seeds: ContentHarness.seeds)
}

// SwiftPM makes this file's top-level code the program's main; libFuzzer takes over from here.
exit(Fuzz.run())

enum ContentHarness {
    /// The files of the smallest real campaign: the first byte of an input picks which one it replaces.
    static let files = [
        "campaign.yaml",
        "sources.yaml",
        "detainees/arayik-harutyunyan.yaml",
        "organisations/osce.yaml",
        "petitions/osce-moscow-mechanism/petition.yaml",
        "petitions/osce-moscow-mechanism/text.en.yaml",
    ]

    /// Kept as byte arrays, not `Data`: `Data` stores its buffer behind a tagged pointer that
    /// LeakSanitizer cannot follow, so a `Data` held for the whole run is reported as leaked.
    static let original: [String: [UInt8]] = Dictionary(uniqueKeysWithValues: files.map { file -> (String, [UInt8]) in
        guard let data = FileManager.default.contents(atPath: Fuzz.repository.appendingPathComponent("Content/\(file)").path) else {
            fatalError("Content/\(file) is missing")
        }
        return (file, Array(data))
    })

    /// A private folder holding the campaign, made once per process.
    static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-fuzz-content-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        for (file, data) in original {
            let url = folder.appendingPathComponent("campaign/\(file)")
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(data).write(to: url)
            } catch {
                fatalError("cannot lay out the campaign in \(folder.path): \(error)")
            }
        }
        return folder
    }()

    static func check(_ bytes: [UInt8]) {
        guard let role = bytes.first else { return }
        let file = files[Int(role) % files.count]
        let campaign = folder.appendingPathComponent("campaign")
        let target = campaign.appendingPathComponent(file)
        write(Data(bytes.dropFirst()), to: target)
        defer { write(Data(original[file] ?? []), to: target) }

        let content: CampaignContent
        do {
            content = try CampaignContent.load(from: campaign)
        } catch let error as StoreError {
            // Refused with words an editor can act on: the file and what is wrong with it.
            switch error {
            case .content(let named, let problem), .contentRecord(let named, _, _, let problem):
                Fuzz.require(files.contains(named), "the error names '\(named)', not a campaign file: \(error)")
                Fuzz.require(!problem.isEmpty, "an error without a problem: \(error)")
            default:
                Fuzz.require(false, "not a content error: \(error)")
            }
            return
        } catch {
            Fuzz.require(false, "an error that names no file: \(error)")
            return
        }

        // What was read, exported and read back, exports to the same files.
        let first = folder.appendingPathComponent("export-1")
        let second = folder.appendingPathComponent("export-2")
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        do {
            try content.write(to: first)
            try CampaignContent.load(from: first).write(to: second)
        } catch {
            Fuzz.require(false, "content that loaded does not survive export and import: \(error)")
        }
        let exported = tree(first)
        Fuzz.require(!exported.isEmpty && exported == tree(second), "export → import → export changed the files")
    }

    static func write(_ data: Data, to url: URL) {
        do {
            try data.write(to: url)
        } catch {
            fatalError("cannot write \(url.path): \(error)")
        }
    }

    /// Every file under a folder by relative path.
    static func tree(_ root: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        let paths = FileManager.default.subpaths(atPath: root.path) ?? []
        for path in paths {
            let url = root.appendingPathComponent(path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = FileManager.default.contents(atPath: url.path)
            else { continue }
            files[path] = data
        }
        return files
    }

    /// The real content files, each with the byte that puts it in its place; every detainee
    /// file takes the detainee's place in turn.
    static func seeds() throws -> [(name: String, bytes: [UInt8])] {
        var seeds: [(name: String, bytes: [UInt8])] = []
        for (role, file) in files.enumerated() where !file.hasPrefix("detainees/") {
            seeds.append((name: file.replacingOccurrences(of: "/", with: "-"), bytes: [UInt8(role)] + (original[file] ?? [])))
        }
        let detainees = Fuzz.repository.appendingPathComponent("Content/detainees")
        let role = UInt8(files.firstIndex { $0.hasPrefix("detainees/") } ?? 0)
        for name in try FileManager.default.contentsOfDirectory(atPath: detainees.path).sorted() where name.hasSuffix(".yaml") {
            let data = try Data(contentsOf: detainees.appendingPathComponent(name))
            seeds.append((name: "detainees-\(name)", bytes: [role] + Array(data)))
        }
        return seeds
    }
}
