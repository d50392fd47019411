import Foundation
import Testing
import VigilCore

@Suite("Paper sheets")
struct PaperSheetTests {
    static let openedOn = Date(day: "2026-10-01")!
    static let today = Date(day: "2026-11-29")!.addingTimeInterval(15 * 3_600)

    static func sheet(_ text: String) throws(PaperSheetProblem) -> PaperSheet {
        try PaperSheet(csv: Data(text.utf8), openedOn: openedOn, today: today)
    }

    static func problem(_ text: String) -> PaperSheetProblem? {
        do {
            _ = try sheet(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("a sheet in any column order, with or without e-mail, is read with each row's line")
    func reads() throws {
        let sheet = try Self.sheet("""
        City,Name,date,country,E-mail
        Lyon,"Dupont, Jean",2026-11-02,fr,jean@example.fr
        Երևան,Անի Հակոբյան,2026-10-01,AM,
        Москва, Ольга Петрова ,2026-11-29,RU,olga@пример.рф

        """)
        #expect(sheet.signatures.map(\.line) == [2, 3, 4])
        #expect(sheet.signatures.map(\.name) == ["Dupont, Jean", "Անի Հակոբյան", "Ольга Петрова"])
        #expect(sheet.signatures.map(\.country.code) == ["FR", "AM", "RU"])
        #expect(sheet.signatures.map(\.city) == ["Lyon", "Երևան", "Москва"])
        #expect(sheet.signatures.map(\.signedOn) == [Date(day: "2026-11-02"), Date(day: "2026-10-01"), Date(day: "2026-11-29")])
        #expect(sheet.signatures.map { $0.email?.address } == ["jean@example.fr", nil, "olga@xn--e1afmkfd.xn--p1ai"])
    }

    @Test("the template's header is a sheet's header; a sheet saved with semicolons reads the same")
    func template() throws {
        #expect(PaperSheet.template == "name,country,city,date,email\r\n")
        let semicolons = try Self.sheet("name;country;city;date;email\nDupont, Jean;FR;Lyon;2026-11-02;\n")
        #expect(semicolons.signatures.map(\.name) == ["Dupont, Jean"])
        let withoutEmail = try Self.sheet("name,country,city,date\nAni,AM,Gyumri,2026-11-02\n")
        #expect(withoutEmail.signatures.first?.email == nil)
    }

    @Test("a bad sheet is refused whole, naming the line and the column", arguments: [
        ("name,country,city,date\nAni,AM,Gyumri,2026-11-02\nAram,AM,Gyumri,2026-11-31\n", 3, PaperSheet.Column.date, PaperSheetProblem.Kind.notADay),
        ("name,country,city,date\nAni,XX,Gyumri,2026-11-02\n", 2, .country, .field(.unknownCountry)),
        ("name,country,city,date\n,AM,Gyumri,2026-11-02\n", 2, .name, .field(.required)),
        ("name,country,city,date\nAni,AM,,2026-11-02\n", 2, .city, .field(.required)),
        ("name,country,city,date\nAni,AM,Gyumri,2026-12-01\n", 2, .date, .dayInFuture),
        ("name,country,city,date\nAni,AM,Gyumri,2026-09-30\n", 2, .date, .dayBeforeOpening),
        ("name,country,city,date,email\nAni,AM,Gyumri,2026-11-02,ani@\n", 2, .email, .field(.malformedEmail)),
        ("name,country,city,date,email\nAni,AM,Gyumri,2026-11-02,Ani@Example.org\nAram,AM,Gyumri,2026-11-02,ani@example.org\n", 3, .email, .repeatedEmail(firstLine: 2)),
        ("name,country,city,date\nA\u{7}ni,AM,Gyumri,2026-11-02\n", 2, .name, .field(.controlCharacters)),
        ("name,country,city,date\n\(String(repeating: "Ա", count: 201)),AM,Gyumri,2026-11-02\n", 2, .name, .field(.tooLong(maximum: 200))),
        ("name,country,date\nAni,AM,2026-11-02\n", 1, .city, .missingColumn),
        ("name,country,city,date,name\n", 1, .name, .repeatedColumn),
    ] as [(String, Int, PaperSheet.Column, PaperSheetProblem.Kind)])
    func refusedWithPlace(text: String, line: Int, column: PaperSheet.Column, kind: PaperSheetProblem.Kind) {
        let problem = Self.problem(text)
        #expect(problem == PaperSheetProblem(kind, line: line, column: column))
        #expect(problem?.description.hasPrefix("line \(line), column “\(column.rawValue)”: ") == true)
    }

    @Test("a file that is not a table of signatures is refused with the line where it breaks")
    func refusedWithLine() {
        #expect(Self.problem("name,country,city,date\nAni,AM,Gyumri\n") == PaperSheetProblem(.wrongFieldCount(expected: 4, found: 3), line: 2))
        #expect(Self.problem("name,country,city,date,signature\n") == PaperSheetProblem(.unknownColumn("signature"), line: 1))
        #expect(Self.problem("name,country,city,date\n\"Ani,AM,Gyumri,2026-11-02\n") == PaperSheetProblem(.malformed(.unclosedQuote(line: 2)), line: 2))
        #expect(Self.problem("name,country,city,date\n") == PaperSheetProblem(.empty))
        #expect(Self.problem("") == PaperSheetProblem(.empty))
        let tooMany = "name,country,city,date\n" + String(repeating: "Ani,AM,Gyumri,2026-11-02\n", count: PaperSheet.maximumRows + 1)
        #expect(Self.problem(tooMany) == PaperSheetProblem(.tooManyRows(maximum: PaperSheet.maximumRows)))
        let tooLarge = Data(count: PaperSheet.maximumBytes + 1)
        #expect(throws: PaperSheetProblem(.tooLarge(maximumBytes: PaperSheet.maximumBytes))) {
            try PaperSheet(csv: tooLarge, openedOn: Self.openedOn, today: Self.today)
        }
        #expect(PaperSheetProblem(.malformed(.notUTF8(line: 3)), line: 3).description == "line 3: the text is not UTF-8; save the file as “CSV UTF-8”")
    }
}
