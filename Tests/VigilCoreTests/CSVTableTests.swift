import Foundation
import PropertyBased
import Testing
import VigilCore

@Suite("CSV tables")
struct CSVTableTests {
    @Test("quoted fields keep separators, quotes and line ends; each record knows the line it starts on")
    func quoting() throws {
        let table = try CSVTable(Data("name,city\r\n\"Dupont, Jean\",\"Lyon\"\r\n\"Say \"\"hi\"\"\",\"two\nlines\"\nlast,\n\n".utf8))
        #expect(table.separator == ",")
        #expect(table.records == [
            CSVTable.Record(line: 1, fields: ["name", "city"]),
            CSVTable.Record(line: 2, fields: ["Dupont, Jean", "Lyon"]),
            CSVTable.Record(line: 3, fields: ["Say \"hi\"", "two\nlines"]),
            CSVTable.Record(line: 5, fields: ["last", ""]),
        ])
    }

    @Test("a semicolon separates when the first line has one and no comma; a byte order mark is skipped")
    func semicolons() throws {
        let table = try CSVTable(Data([0xEF, 0xBB, 0xBF] + Array("name;city\nDupont, Jean;Lyon".utf8)))
        #expect(table.separator == ";")
        #expect(table.records.map(\.fields) == [["name", "city"], ["Dupont, Jean", "Lyon"]])
    }

    @Test("malformed text is refused with the line where reading stopped", arguments: [
        ("a,b\n\"open,c\nd,e\n", CSVTable.Problem.unclosedQuote(line: 2)),
        ("a,b\nc,d\"e\n", .strayQuote(line: 2)),
        ("a,b\n\n\"c\"d,e\n", .textAfterQuote(line: 3)),
        ("a,b\n\"x\ny\" z,e\n", .textAfterQuote(line: 3)),
    ])
    func malformed(text: String, problem: CSVTable.Problem) {
        #expect(throws: problem) { try CSVTable(Data(text.utf8)) }
    }

    @Test("bytes that are not UTF-8 are refused with their line")
    func notUTF8() {
        #expect(throws: CSVTable.Problem.notUTF8(line: 3)) { try CSVTable(Data("a,b\nc,d\n".utf8 + [0xC3, 0x28, 0x0A])) }
    }

    @Test("a combining mark after a separator or a quote does not hide it")
    func combiningMarks() throws {
        #expect(try CSVTable("a,\u{301}b").records.map(\.fields) == [["a", "\u{301}b"]])
        #expect(throws: CSVTable.Problem.textAfterQuote(line: 1)) { try CSVTable("\"c\"\u{301},d") }
        let quoteWithMark = [["a", "\"\u{64C}x"]]
        #expect(try CSVTable(CSVTable.text(quoteWithMark)).records.map(\.fields) == quoteWithMark)
    }

    /// Any field, including separators, quotes, line ends, combining marks and Armenian and Cyrillic letters.
    static let field = Gen<Character?>.element(of: Array("ab ,;\"\n\r\t\u{301}աԲжЖ'=")).map { $0 ?? "a" }.string(of: 0...6)

    @Test("whatever fields are written, with either separator, reading the text gives them back")
    func roundTrip() async {
        await propertyCheck(input: Self.field.array(of: 2...4).array(of: 1...5), Gen.bool) { rows, semicolons in
            let table = try CSVTable(CSVTable.text(rows, separator: semicolons ? ";" : ","))
            #expect(table.records.map(\.fields) == rows)
            #expect(table.records.map(\.line) == table.records.map(\.line).sorted())
        }
    }
}
