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
        // Printable ASCII has nothing to trim and is already in NFC; most addresses are that, and
        // the Foundation calls cost more than the rest of the check together.
        let trimmed = typed.utf8.allSatisfy { (0x21...0x7e).contains($0) }
            ? typed
            : typed.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
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
        return local.unicodeScalars.allSatisfy { scalar in
            if scalar.isASCII {
                return asciiLettersAndDigits.contains(UInt8(scalar.value)) || localPunctuation.contains(UInt8(scalar.value))
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
        let encoded: String
        if Self.isPlainHostName(typed) {
            // Letters, digits, hyphens and dots need no IDNA: Foundation would give them back as
            // they are (a test holds it to that), at a cost larger than the rest of the check.
            encoded = typed.lowercased()
        } else {
            var components = URLComponents()
            components.host = typed
            guard let idna = components.encodedHost?.lowercased() else { return nil }
            encoded = idna
        }
        let labels = encoded.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, encoded.utf8.count <= 253 else { return nil }
        for label in labels {
            guard (1...63).contains(label.count),
                  label.utf8.allSatisfy({ hostBytes.contains($0) }),
                  !label.hasPrefix("-"), !label.hasSuffix("-")
            else { return nil }
        }
        guard let top = labels.last, top.count >= 2, top.hasPrefix("xn--") || top.allSatisfy(\.isLetter) else {
            return nil
        }
        return encoded
    }

    /// Whether a typed host is ASCII letters, digits, hyphens and dots only, with no label in
    /// IDNA's `xn--` form, which Foundation checks and may refuse.
    static func isPlainHostName(_ typed: String) -> Bool {
        typed.utf8.allSatisfy { asciiLettersAndDigits.contains($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
            && !typed.lowercased().contains("xn--")
    }
}

/// ASCII letters and digits, as bytes.
private let asciiLettersAndDigits = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8))
/// The punctuation a dot-atom local part may hold (RFC 5322 §3.2.3), and the dot between atoms.
private let localPunctuation = Set(Array("!#$%&'*+-/=?^_`{|}~.".utf8))
/// What a label of an encoded host name may hold.
private let hostBytes = Set(Array("abcdefghijklmnopqrstuvwxyz0123456789-".utf8))

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
