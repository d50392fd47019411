import Testing
import VigilCore

@Suite("E-mail addresses")
struct EmailAddressTests {
    /// Typed address → the duplicate key it must reduce to.
    static let normalisation: [(typed: String, normalised: String)] = [
        ("jane@example.org", "jane@example.org"),
        ("  Jane@Example.ORG \n", "jane@example.org"),
        ("Jane.Doe@gmail.com", "janedoe@gmail.com"),
        ("j.a.n.e.d.o.e+osce@gmail.com", "janedoe@gmail.com"),
        ("JaneDoe@googlemail.com", "janedoe@gmail.com"),
        ("jane.doe+petitions@googlemail.com", "janedoe@gmail.com"),
        ("jane.doe@example.org", "jane.doe@example.org"),
        ("jane+tag@example.org", "jane@example.org"),
        ("jane+one+two@example.org", "jane@example.org"),
        ("+jane@example.org", "+jane@example.org"),
        ("ivan.petrov+news@yandex.ru", "ivan.petrov@yandex.ru"),
        ("ivan.petrov@ya.ru", "ivan.petrov@yandex.ru"),
        ("ivan@YANDEX.COM", "ivan@yandex.ru"),
        ("anna@bücher.de", "anna@xn--bcher-kva.de"),
        ("anna@BÜCHER.de", "anna@xn--bcher-kva.de"),
        ("armen@օրինակ.հայ", "armen@xn--y9atn0a2c3a.xn--y9a3aq"),
        ("olga@пример.рф", "olga@xn--e1afmkfd.xn--p1ai"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("jose\u{301}@example.org", "jos\u{E9}@example.org"),
    ]

    @Test("addresses reduce to one key per mailbox", arguments: normalisation)
    func normalises(typed: String, normalised: String) throws {
        // As bytes: the key is hashed as UTF-8, where composed and decomposed accents differ.
        #expect(Array(try EmailAddress(typed).normalised.utf8) == Array(normalised.utf8))
    }

    @Test("mail goes to the address as typed, with only the domain made canonical")
    func deliveryAddress() throws {
        #expect(try EmailAddress(" Jane.Doe+osce@GoogleMail.com ").address == "Jane.Doe+osce@googlemail.com")
        #expect(try EmailAddress("anna@Bücher.de").address == "anna@xn--bcher-kva.de")
    }

    static let malformed = [
        "jane", "jane@", "@example.org", "jane@example", "jane@@example.org", "jane doe@example.org",
        "jane@exa mple.org", ".jane@example.org", "jane.@example.org", "ja..ne@example.org",
        "jane@-example.org", "jane@example-.org", "jane@example.c", "jane@example.123", "<jane>@example.org",
        "\"jane\"@example.org", "jane@[127.0.0.1]", "jane@example..org", "jane;drop@example.org",
    ]

    @Test("malformed addresses are refused", arguments: malformed)
    func refusesMalformed(typed: String) {
        #expect(throws: EmailAddress.Problem.malformed) { try EmailAddress(typed) }
    }

    @Test("an empty address and an over-long one are refused with their own reasons")
    func emptyAndLong() {
        #expect(throws: EmailAddress.Problem.empty) { try EmailAddress("   ") }
        let long = String(repeating: "a", count: 64) + "@" + String(repeating: "b", count: 60) + "."
            + String(repeating: "c", count: 60) + "." + String(repeating: "d", count: 60) + "."
            + String(repeating: "e", count: 10) + ".org"
        #expect(throws: EmailAddress.Problem.tooLong) { try EmailAddress(long) }
    }

    @Test("the rules are data: a campaign can add a provider")
    func customRules() throws {
        var rules = EmailNormalisationRules.standard
        rules.providers.append(.init(domains: ["example.net", "example.com"], ignoresDots: true, tagSeparator: "-"))
        #expect(try EmailAddress("j.o.e-news@example.com", rules: rules).normalised == "joe@example.net")
        #expect(try EmailAddress("joe+news@example.com", rules: rules).normalised == "joe+news@example.net")
    }

    @Test("a masked address keeps the first character and the domain; a server's words lose the address in any case")
    func masking() {
        #expect(EmailAddress.masked("anna.petrosyan@example.org") == "a…@example.org")
        #expect(EmailAddress.masked("x@example.org") == "x…@example.org")
        #expect(EmailAddress.masked("աննա@օրինակ.հայ") == "ա…@օրինակ.հայ")
        #expect(EmailAddress.masked("no address") == "…")
        let answer = "550 5.1.1 <Anna@Example.org>: Recipient address rejected; anna@example.org unknown"
        #expect(EmailAddress.masking("anna@example.org", in: answer) == "550 5.1.1 <a…@example.org>: Recipient address rejected; a…@example.org unknown")
    }
}
