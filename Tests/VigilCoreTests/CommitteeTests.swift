import Foundation
import Testing
@testable import VigilCore

@Suite("Committee codes and details")
struct CommitteeTests {
    @Test("a code is read in any case; outer hyphens, other characters and lengths outside 3 to 32 are refused")
    func codes() {
        #expect(CommitteeCode("Lyon-7K2Q")?.text == "lyon-7k2q")
        #expect(CommitteeCode("abc")?.referralPath == "/c/abc")
        for bad in ["ab", String(repeating: "a", count: 33), "-lyon", "lyon-", "ly on", "lyon/2", "լիոն", "lyon_2", ""] {
            #expect(CommitteeCode(bad) == nil, "\(bad)")
        }
    }

    @Test("generated codes have 8 characters from the unambiguous alphabet, and every character of it turns up")
    func generatedCodes() {
        var seen = Set<Character>()
        var codes = Set<String>()
        for _ in 0..<2000 {
            let code = CommitteeCode.random(using: SystemRandomSource())
            #expect(code.text.count == 8)
            #expect(code.text.allSatisfy(CommitteeCode.alphabet.contains))
            seen.formUnion(code.text)
            codes.insert(code.text)
        }
        #expect(seen == Set(CommitteeCode.alphabet))
        #expect(!seen.contains("0") && !seen.contains("o") && !seen.contains("1") && !seen.contains("l") && !seen.contains("i"))
        #expect(codes.count == 2000)
    }

    @Test("bytes from 248 up are skipped, so each character is equally likely")
    func rejectionSampling() {
        struct Fixed: RandomSource {
            func bytes(_ count: Int) -> [UInt8] { Array(repeating: 255, count: count - 1) + [30] }
        }
        // Only one usable byte per draw: the code is eight times the 31st character.
        #expect(CommitteeCode.random(using: Fixed()).text == String(repeating: "9", count: 8))
    }

    @Test("the form is trimmed and read: languages in the interface's order, the goal optional")
    func details() throws {
        let details = try CommitteeDetails.checked(
            name: "  Comité Arménie Lyon ", city: "Lyon", country: "fr", contact: "", languages: ["ru", "en"], goal: " ", shownInLeague: true
        )
        #expect(details.name == "Comité Arménie Lyon")
        #expect(details.country.code == "FR")
        #expect(details.languages == [.english, .russian])
        #expect(details.goal == nil)
        #expect(try CommitteeDetails.checked(
            name: "Երևանի կոմիտե", city: "Երևան", country: "AM", contact: "", languages: ["hy"], goal: "1200", shownInLeague: false
        ).goal == 1200)
    }

    @Test("each bad field is refused with its own problem")
    func refusals() {
        func problem(
            name: String = "Committee", city: String = "Paris", country: String = "FR", contact: String = "",
            languages: [String] = ["fr"], goal: String = ""
        ) -> CommitteeProblem? {
            do {
                _ = try CommitteeDetails.checked(
                    name: name, city: city, country: country, contact: contact, languages: languages, goal: goal, shownInLeague: false
                )
                return nil
            } catch {
                return error
            }
        }
        #expect(problem() == nil)
        #expect(problem(name: "  ") == .required(.name))
        #expect(problem(city: "") == .required(.city))
        #expect(problem(name: String(repeating: "x", count: 121)) == .tooLong(.name, maximum: 120))
        #expect(problem(contact: String(repeating: "x", count: 201)) == .tooLong(.contact, maximum: 200))
        #expect(problem(name: "Bad\u{7}name") == .controlCharacters(.name))
        #expect(problem(country: "XX") == .unknownCountry)
        #expect(problem(languages: []) == .noLanguage)
        #expect(problem(languages: ["fr", "de"]) == .unknownLanguage)
        for goal in ["0", "-5", "12.5", "many", "100000001"] {
            #expect(problem(goal: goal) == .invalidGoal, "\(goal)")
        }
        #expect(CommitteeProblem.noLanguage.field == .languages)
        #expect(CommitteeProblem.codeTaken.field == .code)
    }
}
