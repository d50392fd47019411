import Foundation
import VigilCore

/// The shape of `sources.yaml`: the documents the registry's facts are cited to.
struct SourcesFile: Codable, Equatable {
    var sources: [Source]

    /// The sources, checked: unique keys, a title, and an http(s) address when there is one.
    func checked(file: String) throws -> [Source] {
        let check = ContentCheck(file: file, sources: [:])
        var keys = Set<String>()
        for (index, source) in sources.enumerated() {
            let record = "sources[\(index)]"
            guard ContentCheck.isKey(source.key) else {
                throw check.fail(record, "key", "'\(source.key)' must be lower-case letters, digits and hyphens")
            }
            guard keys.insert(source.key).inserted else { throw check.fail(record, "key", "'\(source.key)' is used twice") }
            _ = try check.nonEmpty(source.title, record: record, field: "title")
            if let url = source.url {
                guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                    throw check.fail(record, "url", "'\(url)' is not an http(s) address")
                }
            }
            if let note = source.note { _ = try check.text(note, record: record, field: "note") }
        }
        return sources
    }
}
