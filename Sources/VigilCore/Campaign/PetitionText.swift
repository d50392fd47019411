import Crypto
import Foundation

/// The words of a petition in one language: what a signer reads and agrees to.
public struct PetitionText: Sendable, Equatable, Codable {
    public var language: Language
    /// A short title, the ask in a few words.
    public var title: String
    /// One or two sentences for link previews and the top of the page.
    public var summary: String
    /// The offices the petition is addressed to, in the order they are named.
    public var addressees: [String]
    /// The petition itself: what the signers ask of the addressees, paragraph by paragraph.
    public var action: [String]
    /// Why it is asked, paragraph by paragraph.
    public var background: [String]
    /// A plain explanation of the instrument the petition asks for, paragraph by paragraph.
    public var explainer: [String]
    /// Heading of the explainer.
    public var explainerTitle: String
    /// Where the facts in the text come from.
    public var sources: [Source]

    /// A document the text's facts are taken from.
    public struct Source: Sendable, Equatable, Codable {
        public var title: String
        public var url: String

        public init(title: String, url: String) {
            self.title = title
            self.url = url
        }
    }

    public init(
        language: Language,
        title: String,
        summary: String,
        addressees: [String],
        action: [String],
        background: [String],
        explainerTitle: String,
        explainer: [String],
        sources: [Source]
    ) {
        self.language = language
        self.title = title
        self.summary = summary
        self.addressees = addressees
        self.action = action
        self.background = background
        self.explainerTitle = explainerTitle
        self.explainer = explainer
        self.sources = sources
    }

    /// SHA-256 over a canonical JSON encoding of the whole text, hex-encoded.
    ///
    /// Each signature stores the hash of the text its signer was shown, so that what
    /// someone agreed to can be proven later even if the wording changes.
    public var versionHash: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and arrays cannot fail; an empty input would still hash distinctly.
        let canonical = (try? encoder.encode(self)) ?? Data()
        return SHA256.hash(data: canonical).hexString
    }
}
