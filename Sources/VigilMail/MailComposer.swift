import Foundation
import Mustache
import VigilCore
import VigilStore

/// Turns an outbox entry into the e-mail a person receives, in their language.
///
/// Each kind of message is one Mustache template per language in `Templates/`, named
/// `<kind>.<language>.mustache`: its first line is the subject, the rest after a blank line
/// is the body. A language without its own template falls back to English.
public struct MailComposer: Sendable {
    private let templates: MustacheLibrary
    private let store: Store
    /// The site's public address, without a trailing slash; links in e-mails start with it.
    public let baseURL: String
    /// The sender of every message.
    public let from: MailMessage.Mailbox

    /// Why a message could not be composed; retrying will not help, so it is marked failed.
    public enum Problem: Error, CustomStringConvertible {
        case noTemplate(String)
        case missingField(String)
        case unknownPetition(String)

        public var description: String {
            switch self {
            case .noTemplate(let name): "no e-mail template \(name)"
            case .missingField(let name): "outbox message lacks its \(name)"
            case .unknownPetition(let id): "outbox message names petition \(id), which does not exist"
            }
        }
    }

    /// Loads the bundled templates.
    public init(store: Store, baseURL: String, from: MailMessage.Mailbox) async throws {
        let folder = Bundle.module.bundleURL.appendingPathComponent("Templates")
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw Problem.noTemplate("folder \(folder.path)")
        }
        templates = try await MustacheLibrary(directory: folder.path)
        self.store = store
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.from = from
    }

    /// What the messages of one round have in common, read from the store once for the round
    /// rather than once a message: a spike's confirmations all name the same petition.
    public struct RoundLookups {
        private var petitions: [Int64: Petition] = [:]
        private var titles: [PetitionLanguage: String] = [:]
        private var updates: [Int64: PetitionUpdate] = [:]

        private struct PetitionLanguage: Hashable {
            let petitionID: Int64
            let language: Language
        }

        public init() {}

        mutating func petition(_ id: Int64, from store: Store) async throws -> Petition? {
            if let known = petitions[id] { return known }
            petitions[id] = try await store.petition(id: id)
            return petitions[id]
        }

        /// The title of the petition's current text in a language it has.
        mutating func title(of petitionID: Int64, in language: Language, from store: Store) async throws -> String? {
            let key = PetitionLanguage(petitionID: petitionID, language: language)
            if let known = titles[key] { return known }
            titles[key] = try await store.currentText(petitionID: petitionID, language: language)?.title
            return titles[key]
        }

        mutating func update(_ id: Int64, from store: Store) async throws -> PetitionUpdate? {
            if let known = updates[id] { return known }
            updates[id] = try await store.update(id: id)
            return updates[id]
        }
    }

    /// The e-mail for an outbox message, reading what it names through `lookups`.
    public func compose(_ outboxMessage: OutboxMessage, lookups: inout RoundLookups) async throws -> MailMessage {
        let language = Language(rawValue: outboxMessage.language) ?? .fallback
        guard let petitionText = outboxMessage.fields["petition_id"], let petitionID = Int64(petitionText) else {
            throw Problem.missingField("petition_id")
        }
        guard let petition = try await lookups.petition(petitionID, from: store),
              let title = try await lookups.title(of: petitionID, in: petition.language(for: language), from: store)
        else { throw Problem.unknownPetition(petitionText) }

        var values: [String: String] = [
            "title": title,
            "name": outboxMessage.fields["name"] ?? "",
            "site": baseURL,
            "privacy": baseURL + language.path("/privacy"),
        ]
        var link: String?
        var unsubscribeURL: String?
        if let manage = outboxMessage.fields["manage"] {
            values["manage"] = baseURL + language.path("/signature/\(manage)")
        }
        switch outboxMessage.kind {
        case .confirmSignature:
            guard let token = outboxMessage.fields["token"] else { throw Problem.missingField("token") }
            link = baseURL + language.path("/confirm/\(token)")
            values["link"] = link
            if let expires = outboxMessage.fields["expires_at"].flatMap(Double.init) {
                let date = Date(timeIntervalSince1970: expires / 1000)
                values["expires"] = date.formatted(
                    Date.FormatStyle(date: .long, time: .omitted, timeZone: TimeZone(identifier: "UTC") ?? .current)
                        .locale(language.locale)
                )
            }
        case .alreadySigned:
            link = baseURL + language.path("/petitions/\(petition.slug)")
        case .signatureReceipt:
            for field in ["leaf_index", "leaf_hash", "nonce"] {
                guard let value = outboxMessage.fields[field] else { throw Problem.missingField(field) }
                values[field] = value
            }
            link = baseURL + language.path("/verify?petition=\(petition.slug)&leaf_hash=\(values["leaf_hash"] ?? "")")
            values["link"] = link
            values["key"] = "\(baseURL)/.well-known/vigil-log-key"
            values["petition"] = petition.slug
        case .update:
            guard let updateID = outboxMessage.fields["update_id"].flatMap(Int64.init),
                  let update = try await lookups.update(updateID, from: store), let updateText = update.text(language)
            else { throw Problem.missingField("update_id") }
            values["update_title"] = updateText.title
            values["update_body"] = updateText.body
            link = baseURL + language.path("/updates#update-\(updateID)")
            values["link"] = link
            if let manage = outboxMessage.fields["manage"] {
                unsubscribeURL = "\(baseURL)/signature/\(manage)/unsubscribe"
            }
        }

        let rendered = try render(outboxMessage.kind.rawValue, language: language, values: values)
        let parts = rendered.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let subject = parts.first.map(String.init) ?? title
        let body = parts.count > 1 ? Self.trimmingLineEnds(parts[1]) + "\n" : ""
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "vigil.invalid"
        return MailMessage(
            from: from,
            to: MailMessage.Mailbox(name: outboxMessage.fields["name"], address: outboxMessage.recipient),
            subject: subject,
            body: body,
            messageID: "<\(outboxMessage.messageID)@\(domain)>",
            date: Date(),
            link: link,
            unsubscribeURL: unsubscribeURL
        )
    }

    /// The text without the blank lines a template leaves before and after it.
    static func trimmingLineEnds(_ text: Substring) -> String {
        var start = text.startIndex
        var end = text.endIndex
        while start < end, text[start].isNewline { start = text.index(after: start) }
        while end > start, text[text.index(before: end)].isNewline { end = text.index(before: end) }
        return String(text[start..<end])
    }

    private func render(_ kind: String, language: Language, values: [String: String]) throws -> String {
        for candidate in [language, .fallback] {
            if let output = templates.render(values, withTemplate: "\(kind).\(candidate.rawValue)") {
                return output
            }
        }
        throw Problem.noTemplate("\(kind).\(language.rawValue)")
    }
}
