import Foundation
import PropertyBased
import Testing
@testable import VigilCore

@Suite("Cleaning typed text")
struct SignatureFormCleaningTests {
    /// Characters signers type, and the ones cleaning must change: white space of several kinds
    /// (at the ends too), carriage returns, combining accents that compose with the letter
    /// before them, characters normalisation replaces (Kelvin, Ångström, the Greek question
    /// mark), Cyrillic's own combining marks, controls, and text beyond the fast path.
    static let characters: [Character] = Array("aZé09 .,-'’—…\n\t\r\u{A0}\u{85}\u{2000}\u{2028}աԲևЖёӁ")
        + ["\r\n", "e\u{301}", "\u{301}", "\u{212A}", "\u{212B}", "\u{37E}", "\u{483}", "\u{1}", "\u{7F}", "日", "💥", "ա\u{301}"]
    static let text = Gen<Character?>.element(of: characters).map { $0 ?? "a" }.string(of: 0...16)

    /// What cleaning means, with Foundation alone.
    static func reference(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
            .precomposedStringWithCanonicalMapping
    }

    @Test("cleaning gives what Foundation's trimming and normalisation give, whichever path it takes")
    func sameAsFoundation() async {
        await propertyCheck(input: Self.text) { text in
            let cleaned = SignatureForm.cleaned(text)
            #expect(Array(cleaned.unicodeScalars) == Array(Self.reference(text).unicodeScalars))
        }
    }

    @Test("text that needs no cleaning is recognised as such, and text that does is not")
    func fastPath() {
        for clean in ["Ani Hakobyan", "Անի Հակոբյան", "Анна Петросян", "Élise Martin-Ōta", "O’Brien, Jr.", "a\nb", ""] {
            #expect(SignatureForm.isClean(clean), "\(clean)")
        }
        for unclean in [" Ani", "Ani\n", "a\r\nb", "e\u{301}", "\u{212B}", "Ani\u{A0}", "日本"] {
            #expect(!SignatureForm.isClean(unclean), "\(unclean)")
        }
    }
}
