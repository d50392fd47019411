import Foundation

/// An e-mail address a signer typed, checked for shape and with its domain in ASCII (IDNA).
///
/// `address` is what mail is sent to. `normalised` is the key under which duplicate
/// signatures are recognised; it is never shown and never used to deliver mail.
public struct EmailAddress: Sendable, Hashable {
    /// The address to deliver to: trimmed, in NFC, with the domain lower-cased and IDNA-encoded.
    public let address: String
    /// The address reduced by the rules in ``EmailNormalisationRules`` for duplicate checks.
    public let normalised: String
    /// The domain, in lower-case ASCII (internationalised labels IDNA-encoded).
    public let domain: String

    /// Why a typed address was refused.
    public enum Problem: Error, Sendable, Equatable {
        case empty
        case tooLong
        case malformed
    }

    /// The longest address SMTP can carry in a forward path (RFC 5321 §4.5.3.1.3, less the brackets).
    public static let maximumLength = 254

    /// Checks and normalises a typed address.
    ///
    /// The text is composed to Unicode NFC first (RFC 6532 §3.1), so an address typed with
    /// decomposed accents is the same address, with the same key, as one typed composed.
    public init(_ typed: String, rules: EmailNormalisationRules = .standard) throws(Problem) {
        let trimmed = typed.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        guard !trimmed.isEmpty else { throw .empty }
        guard let at = trimmed.lastIndex(of: "@") else { throw .malformed }
        let local = String(trimmed[..<at])
        let domainTyped = String(trimmed[trimmed.index(after: at)...])
        guard EmailAddress.isValidLocalPart(local) else { throw .malformed }
        guard let domain = EmailAddress.asciiDomain(domainTyped) else { throw .malformed }
        let address = local + "@" + domain
        guard address.utf8.count <= EmailAddress.maximumLength else { throw .tooLong }
        self.address = address
        self.domain = domain
        self.normalised = rules.normalise(localPart: local.lowercased(), domain: domain)
    }

    /// A dot-atom local part (RFC 5322 §3.2.3) of at most 64 octets. Quoted local parts are
    /// refused: almost no real mailbox uses them and they complicate every later step.
    static func isValidLocalPart(_ local: String) -> Bool {
        guard !local.isEmpty, local.utf8.count <= 64 else { return false }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return false }
        let allowedPunctuation = Set("!#$%&'*+-/=?^_`{|}~.")
        return local.unicodeScalars.allSatisfy { scalar in
            if scalar.isASCII {
                let character = Character(scalar)
                return character.isLetter || character.isNumber || allowedPunctuation.contains(character)
            }
            // RFC 6531 allows UTF-8 in local parts; letters and digits only, no symbols or spaces.
            return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
        }
    }

    /// A domain as staff type it, spelled as ``domain`` spells it, or `nil` when it is not a
    /// plausible public host name.
    public static func domain(typed: String) -> String? {
        asciiDomain(typed.trimmingCharacters(in: .whitespaces).drop(while: { $0 == "@" }).description)
    }

    /// The domain in lower-case ASCII, with internationalised labels IDNA-encoded by Foundation,
    /// or `nil` when it is not a plausible public host name.
    static func asciiDomain(_ typed: String) -> String? {
        guard !typed.isEmpty, !typed.contains(where: { $0.isWhitespace }) else { return nil }
        var components = URLComponents()
        components.host = typed
        guard let encoded = components.encodedHost?.lowercased() else { return nil }
        let labels = encoded.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, encoded.utf8.count <= 253 else { return nil }
        let hostCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        for label in labels {
            guard (1...63).contains(label.count),
                  label.allSatisfy({ hostCharacters.contains($0) }),
                  !label.hasPrefix("-"), !label.hasSuffix("-")
            else { return nil }
        }
        guard let top = labels.last, top.count >= 2, top.hasPrefix("xn--") || top.allSatisfy(\.isLetter) else {
            return nil
        }
        return encoded
    }
}

extension EmailAddress {
    /// An address as staff may see it where they did not type it themselves: the first character
    /// of the local part and the domain, as `a…@example.org`. The domain stays because it is what
    /// explains most delivery problems (a provider refusing, a typo in the domain).
    public static func masked(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return "…" }
        let first = address[..<at].first.map(String.init) ?? ""
        return first + "…" + address[at...]
    }

    /// `text` with every occurrence of `address` (in any case) replaced by its masked form, for
    /// a mail server's answer that repeats the recipient.
    public static func masking(_ address: String, in text: String) -> String {
        guard !address.isEmpty else { return text }
        return text.replacingOccurrences(of: address, with: masked(address), options: .caseInsensitive)
    }
}
