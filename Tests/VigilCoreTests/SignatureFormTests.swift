import Testing
import VigilCore

@Suite("Sign form")
struct SignatureFormTests {
    let good = SignatureForm(name: "Ani Hakobyan", email: "ani@example.org", country: "fr", city: "Lyon", comment: "Free them.")

    @Test("a good form passes, trimmed, with the country code in upper case")
    func valid() throws {
        var form = good
        form.name = "  Ani Hakobyan \n"
        let signature = try form.validated().get()
        #expect(signature.name == "Ani Hakobyan")
        #expect(signature.country.code == "FR")
        #expect(signature.city == "Lyon")
        #expect(signature.showNamePublicly == false && signature.keepInformed == false)
    }

    @Test("optional fields may be empty")
    func optionalFields() throws {
        var form = good
        form.city = " "
        form.comment = ""
        let signature = try form.validated().get()
        #expect(signature.city == nil && signature.comment == nil)
    }

    @Test("each bad field is named with its problem, all at once")
    func problems() {
        let form = SignatureForm(
            name: "",
            email: "not-an-address",
            country: "XX",
            city: String(repeating: "c", count: 101),
            comment: String(repeating: "w", count: 501)
        )
        guard case .failure(let problems) = form.validated() else {
            Issue.record("a form with five bad fields passed")
            return
        }
        #expect(problems[.name] == .required)
        #expect(problems[.email] == .malformedEmail)
        #expect(problems[.country] == .unknownCountry)
        #expect(problems[.city] == .tooLong(maximum: 100))
        #expect(problems[.comment] == .tooLong(maximum: 500))
    }

    @Test("lengths are counted in characters as a reader sees them, at the exact limits")
    func limits() throws {
        var form = good
        form.name = String(repeating: "Ա", count: 200)
        form.city = String(repeating: "é", count: 100)
        form.comment = String(repeating: "👍🏽", count: 500)
        #expect(throws: Never.self) { try form.validated().get() }
        form.name += "Բ"
        #expect(form.validated().failureProblems?[.name] == .tooLong(maximum: 200))
    }

    @Test("control characters are refused in names; line breaks are allowed in comments only")
    func controlCharacters() {
        var form = good
        form.name = "Ani\u{0}Hakobyan"
        #expect(form.validated().failureProblems?[.name] == .controlCharacters)
        form.name = "Ani\nHakobyan"
        #expect(form.validated().failureProblems?[.name] == .controlCharacters)
        form.name = "Ani Hakobyan"
        form.comment = "Line one\nline two"
        #expect(form.validated().failureProblems == nil)
        form.comment = "bell\u{7}"
        #expect(form.validated().failureProblems?[.comment] == .controlCharacters)
    }

    @Test("markup is kept as typed: escaping is the page's job")
    func markupKept() throws {
        var form = good
        form.name = "<script>alert(1)</script>"
        #expect(try form.validated().get().name == "<script>alert(1)</script>")
    }

    @Test("fields that were not valid UTF-8 are reported as unreadable")
    func unreadable() {
        let problems = good.validated(unreadable: [.city]).failureProblems
        #expect(problems?[.city] == .unreadableText)
    }

    @Test("missing country and missing name are 'required'")
    func required() {
        let problems = SignatureForm(email: "a@example.org").validated().failureProblems
        #expect(problems?[.country] == .required)
        #expect(problems?[.name] == .required)
        #expect(problems?[.email] == nil)
    }
}

extension Result where Failure == SignatureFormProblems {
    var failureProblems: SignatureFormProblems? {
        if case .failure(let problems) = self { return problems }
        return nil
    }
}
