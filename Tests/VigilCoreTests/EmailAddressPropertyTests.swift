import Foundation
import PropertyBased
import Testing
import VigilCore

/// Addresses of every shape a signer might type, and what must hold for each of them.
@Suite("E-mail addresses, as properties")
struct EmailAddressPropertyTests {
    /// Letters, digits and the punctuation a dot-atom allows (`+` starts a tag and is added on
    /// its own), with letters of the campaign's scripts for internationalised mailboxes.
    static let localCharacters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*-/=?^_`{|}~éüßçաբգдежЖ")
    static let domains = [
        "gmail.com", "googlemail.com", "yandex.ru", "ya.ru", "example.org", "mail.example.am", "Example.FR",
        "bücher.de", "пример.рф", "օրինակ.հայ", "xn--e1afmkfd.xn--p1ai", "sub-domain.example-mail.co.uk",
    ]

    static let atom = Gen<Character?>.element(of: localCharacters).map { $0 ?? "a" }.string(of: 1...6)
    /// A local part: atoms joined by dots, then perhaps a `+tag`.
    static let localPart = zip(atom.array(of: 1...3), Gen.letterOrNumber.string(of: 1...5).optional)
        .map { atoms, tag in atoms.joined(separator: ".") + (tag.map { "+" + $0 } ?? "") }
    static let domain = Gen<String?>.element(of: domains).map { $0 ?? "example.org" }
    static let address = zip(localPart, domain).map { local, domain in local + "@" + domain }
    static let padding = Gen<String?>.element(of: ["", " ", "\t", "\n", "\r\n", "\u{3000}", "  \n"]).map { $0 ?? "" }

    @Test("a well-formed address is accepted, and reading it again changes nothing")
    func acceptedAndStable() async {
        await propertyCheck(input: Self.address) { typed in
            let email = try EmailAddress(typed)
            #expect(try EmailAddress(email.address) == email)
            #expect(try EmailAddress(email.normalised).normalised == email.normalised, "normalising is idempotent")
            #expect(email.normalised == email.normalised.lowercased())
            #expect(email.domain.allSatisfy(\.isASCII) && email.domain == email.domain.lowercased())
            #expect(email.address.hasSuffix("@" + email.domain))
        }
    }

    @Test("white space around an address and the case of its ASCII letters do not change its key")
    func whiteSpaceAndCase() async {
        await propertyCheck(input: Self.address, Self.padding, Self.padding, Gen.bool.array(of: 64)) { typed, before, after, upper in
            var flipped = ""
            for (index, character) in typed.enumerated() {
                flipped.append(character.isASCII && upper[index % upper.count] ? Character(character.uppercased()) : character)
            }
            let email = try EmailAddress(typed)
            let variant = try EmailAddress(before + flipped + after)
            #expect(variant.normalised == email.normalised)
            #expect(variant.domain == email.domain)
            #expect(variant.address.lowercased() == email.address.lowercased())
        }
    }

    @Test("an address composed (NFC) or decomposed (NFD) is one address with one key")
    func unicodeNormalisation() async {
        await propertyCheck(input: Self.address) { typed in
            let composed = try EmailAddress(typed.precomposedStringWithCanonicalMapping)
            let decomposed = try EmailAddress(typed.decomposedStringWithCanonicalMapping)
            // Bytes, not Strings: Swift compares strings up to canonical equivalence, but the key is hashed as UTF-8.
            #expect(Array(decomposed.normalised.utf8) == Array(composed.normalised.utf8))
            #expect(Array(decomposed.address.utf8) == Array(composed.address.utf8))
        }
    }

    @Test("a character no mailbox name may hold makes any address malformed")
    func forbiddenCharacters() async {
        let forbidden = Gen<Character?>.element(of: Array(" \"<>(),;:\\[]@\u{0}\u{7F}\u{200B}")).map { $0 ?? " " }
        await propertyCheck(input: Self.address, forbidden, Gen.int(in: 0...63)) { typed, character, position in
            guard let at = typed.lastIndex(of: "@") else { return }
            var local = Array(typed[..<at])
            // After the first character: one put in front of the address would be trimmed as white space.
            local.insert(character, at: 1 + position % local.count)
            #expect(throws: EmailAddress.Problem.malformed) { try EmailAddress(String(local) + typed[at...]) }
        }
    }

    @Test("Gmail ignores dots and tags, and its two domains are one")
    func gmailRules() async {
        let letters = Gen.lowercaseLetter.string(of: 1...5).array(of: 1...4)
        await propertyCheck(input: letters, Gen.letterOrNumber.string(of: 1...6).optional, Gen.bool) { atoms, tag, googlemail in
            let plain = try EmailAddress(atoms.joined() + "@gmail.com")
            let dotted = atoms.joined(separator: ".") + (tag.map { "+" + $0 } ?? "") + (googlemail ? "@googlemail.com" : "@gmail.com")
            #expect(try EmailAddress(dotted).normalised == plain.normalised)
            #expect(plain.normalised == atoms.joined() + "@gmail.com")
        }
    }

    /// Host names of ASCII letters, digits and hyphens, in either case.
    static let plainHost = Gen<Character?>.element(of: Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"))
        .map { $0 ?? "a" }.string(of: 1...12).array(of: 2...4)
        .map { $0.joined(separator: ".") }

    @Test("Foundation gives a host of ASCII letters, digits and hyphens back as it is, so reading one skips IDNA")
    func plainHostsNeedNoIDNA() async {
        await propertyCheck(input: Self.plainHost) { host in
            guard !host.lowercased().contains("xn--") else { return }
            var components = URLComponents()
            components.host = host
            #expect(components.encodedHost?.lowercased() == host.lowercased())
        }
    }
}
