// The form decoder: a urlencoded body as the sign form and the /verify form post it, read by
// FormBody and checked as the controllers check it.
import Foundation
import FuzzSupport
import VigilCore
@testable import VigilWeb

@_cdecl("LLVMFuzzerTestOneInput")
public func testForm(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { Fuzz.test(data, size, FormHarness.check) }

@_cdecl("LLVMFuzzerInitialize")
public func initializeForm(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutableRawPointer) -> CInt { Fuzz.initialize(seeds: FormHarness.seeds) }

// SwiftPM makes this file's top-level code the program's main; libFuzzer takes over from here.
exit(Fuzz.run())

enum FormHarness {
    static func check(_ bytes: [UInt8]) {
        let body = FormBody(bytes: bytes)

        // What was read, written out again and read back, is the same form.
        let again = FormBody(bytes: encoded(body.values.sorted { $0.key < $1.key }))
        Fuzz.require(again.values == body.values && again.unreadable.isEmpty, "re-encoded form reads differently")
        Fuzz.require(body.unreadable.isDisjoint(with: body.values.keys), "a field is both read and unreadable")

        checkSignatureForm(body)
        checkVerifyForm(body)
    }

    /// The sign form, read from the body as PetitionController reads it.
    static func checkSignatureForm(_ body: FormBody) {
        let form = SignatureForm(body)
        let unreadable = SignatureForm.unreadableFields(in: body)
        switch form.validated(unreadable: unreadable) {
        case .success(let valid):
            Fuzz.require(unreadable.isEmpty, "a form with unreadable fields was accepted")
            Fuzz.require(!valid.name.isEmpty, "accepted without a name")
            let texts: [(SignatureField, String)] = [(.name, valid.name), (.city, valid.city ?? ""), (.comment, valid.comment ?? "")]
            for (field, text) in texts {
                let maximum = SignatureForm.maximumLengths[field] ?? 0
                Fuzz.require(text.count <= maximum, "accepted \(field) of \(text.count) characters, over \(maximum)")
                Fuzz.require(text == text.precomposedStringWithCanonicalMapping, "accepted text is not NFC")
                Fuzz.require(text == text.trimmingCharacters(in: .whitespacesAndNewlines), "accepted text is not trimmed")
            }
            // What was accepted, typed in again, is accepted as the same signature.
            let retyped = SignatureForm(
                name: valid.name, email: valid.email.address, country: valid.country.code, city: valid.city ?? "",
                comment: valid.comment ?? "", showNamePublicly: valid.showNamePublicly, keepInformed: valid.keepInformed
            )
            Fuzz.require(retyped.validated() == .success(valid), "an accepted signature is refused or changed when typed again")
        case .failure(let problems):
            Fuzz.require(!problems.isEmpty, "refused without a problem")
            for field in unreadable { Fuzz.require(problems[field] == .unreadableText, "unreadable \(field) not reported") }
        }
    }

    /// The /verify form.
    static func checkVerifyForm(_ body: FormBody) {
        let form = VerifyForm(leafHash: body["leaf_hash"] ?? "", nonce: body["nonce"] ?? "", email: body["email"] ?? "")
        switch form.parsed() {
        case .success(let input):
            let typed = form.leafHash.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            Fuzz.require(input.leafHash.hex == typed, "leaf hash \(typed) read as \(input.leafHash.hex)")
            Fuzz.require((input.nonce == nil) == (input.email == nil), "nonce without address or address without nonce")
            Fuzz.require(input.nonce.map { $0.count == 32 } ?? true, "a nonce that is not 32 bytes")
        case .failure(let problems):
            Fuzz.require(!problems.keys.isEmpty, "refused without a problem")
        }
    }

    /// `application/x-www-form-urlencoded` as browsers write it: unreserved bytes as they are,
    /// a space as `+`, everything else percent-escaped.
    static func encoded(_ fields: [(key: String, value: String)]) -> [UInt8] {
        func escaped(_ text: String) -> [UInt8] {
            var out: [UInt8] = []
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                     UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"):
                    out.append(byte)
                case UInt8(ascii: " "):
                    out.append(UInt8(ascii: "+"))
                default:
                    out += Array(String(format: "%%%02X", byte).utf8)
                }
            }
            return out
        }
        return Array(fields.map { escaped($0.key) + [UInt8(ascii: "=")] + escaped($0.value) }.joined(separator: [UInt8(ascii: "&")]))
    }

    /// Forms as browsers post them: signatures in the campaign's languages, the /verify form,
    /// and the broken encodings the decoder must report rather than guess.
    static func seeds() -> [(name: String, bytes: [UInt8])] {
        let csrf = ("csrf", "q1w2e3r4t5y6u7i8o9p0")
        let forms: [(String, [(key: String, value: String)])] = [
            ("sign-en", [csrf, ("lang", "en"), ("name", "Anna Petrosyan"), ("email", "anna.petrosyan+osce@gmail.com"),
                         ("country", "AM"), ("city", "Yerevan"), ("comment", "Free them all.\r\nNow."),
                         ("show_name", "on"), ("keep_informed", "on")]),
            ("sign-hy", [csrf, ("lang", "hy"), ("name", "Աննա Պետրոսյան"), ("email", "anna@օրինակ.հայ"), ("country", "AM"),
                         ("city", "Երևան"), ("comment", "")]),
            ("sign-ru", [csrf, ("lang", "ru"), ("name", "Анна Петросян"), ("email", "anna@пример.рф"), ("country", "RU"),
                         ("city", "Москва"), ("comment", "Свободу!")]),
            ("sign-fr-decomposed", [csrf, ("lang", "fr"), ("name", "  Ame\u{301}lie Dupont "), ("email", " Amelie@Example.FR "),
                                    ("country", "FR"), ("city", "Lyon"), ("show_name", "")]),
            ("sign-refused", [csrf, ("name", ""), ("email", "not an address"), ("country", "XX"), ("city", "a\u{7}b"),
                              ("comment", String(repeating: "long ", count: 120))]),
            ("verify", [csrf, ("petition", "osce-moscow-mechanism"),
                        ("leaf_hash", "6E340B9CFFB37A989CA544E6BB780A2C78901D3FB33738768511A30617AFA01D"),
                        ("nonce", String(repeating: "ab", count: 32)), ("email", "anna@example.org")]),
        ]
        var seeds = forms.map { (name: $0.0, bytes: encoded($0.1)) }
        seeds.append((name: "broken-escapes", bytes: Array("name=Anna%2&email=%ZZ@example.org&city=%FF%FE&comment=%E2%82".utf8)))
        seeds.append((name: "repeated-fields", bytes: Array("name=First&name=Second&&=empty&email&country=AM&country=FR&show_name".utf8)))
        return seeds
    }
}
