// The CSV importer: a batch of paper signatures as a coordinator uploads it, read by CSVTable and
// checked by PaperSheet.
import Foundation
import FuzzSupport
import VigilCore

@_cdecl("LLVMFuzzerTestOneInput")
public func testPaper(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { Fuzz.test(data, size, PaperHarness.check) }

@_cdecl("LLVMFuzzerInitialize")
public func initializePaper(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutableRawPointer) -> CInt { Fuzz.initialize(seeds: PaperHarness.seeds) }

// SwiftPM makes this file's top-level code the program's main; libFuzzer takes over from here.
exit(Fuzz.run())

enum PaperHarness {
    static let openedOn = Date(day: "2026-10-01") ?? .distantPast
    static let today = Date(day: "2026-11-29") ?? .distantFuture

    static func check(_ bytes: [UInt8]) {
        let data = Data(bytes)
        checkTable(data)
        checkSheet(data)
    }

    /// A table that was read, written out and read again, has the same fields.
    static func checkTable(_ data: Data) {
        // Lines end in LF, CRLF or a lone CR, as text editors show them.
        let lines = 1 + data.indices.filter { data[$0] == 0x0D || (data[$0] == 0x0A && ($0 == data.startIndex || data[$0 - 1] != 0x0D)) }.count
        let table: CSVTable
        do {
            table = try CSVTable(data)
        } catch {
            Fuzz.require((1...lines + 1).contains(error.line), "\(error) names a line the text does not have (\(lines))")
            return
        }
        let rows = table.records.map(\.fields)
        Fuzz.require(table.records.map(\.line) == table.records.map(\.line).sorted(), "records out of line order")
        Fuzz.require(!rows.contains([""]), "a blank line read as a record")
        // One field in the first row shows no separator, so only wider tables keep theirs.
        guard let first = rows.first, first.count > 1 else { return }
        do {
            let again = try CSVTable(CSVTable.text(rows, separator: table.separator))
            Fuzz.require(again.records.map(\.fields) == rows, "written and read again, the fields changed")
            Fuzz.require(again.separator == table.separator, "written and read again, the separator changed")
        } catch {
            Fuzz.require(false, "the written table cannot be read: \(error)")
        }
    }

    /// An accepted batch holds only checked signatures; a refused one says where.
    static func checkSheet(_ data: Data) {
        let sheet: PaperSheet
        do {
            sheet = try PaperSheet(csv: data, openedOn: openedOn, today: today)
        } catch {
            Fuzz.require(!error.description.isEmpty, "refused without words")
            if case .field = error.kind { Fuzz.require(error.line != nil && error.column != nil, "a field problem without its place: \(error)") }
            return
        }
        Fuzz.require(!sheet.signatures.isEmpty && sheet.signatures.count <= PaperSheet.maximumRows, "\(sheet.signatures.count) signatures accepted")
        let addresses = sheet.signatures.compactMap { $0.email?.normalised }
        Fuzz.require(Set(addresses).count == addresses.count, "the same address accepted twice")
        for signature in sheet.signatures {
            Fuzz.require(!signature.name.isEmpty && !signature.city.isEmpty, "line \(signature.line) accepted without a name or city")
            Fuzz.require(signature.name == signature.name.precomposedStringWithCanonicalMapping, "line \(signature.line): name not NFC")
            Fuzz.require(openedOn <= signature.signedOn && signature.signedOn <= today, "line \(signature.line): day out of range")
        }
        // The accepted signatures, written into the template again, are accepted as the same.
        let rows = [PaperSheet.Column.allCases.map(\.rawValue)] + sheet.signatures.map { signature in
            [signature.name, signature.country.code, signature.city, day(signature.signedOn), signature.email?.address ?? ""]
        }
        do {
            let again = try PaperSheet(csv: Data(CSVTable.text(rows).utf8), openedOn: openedOn, today: today)
            Fuzz.require(again.signatures.map(\.name) == sheet.signatures.map(\.name), "names changed when written again")
            Fuzz.require(again.signatures.map(\.email) == sheet.signatures.map(\.email), "addresses changed when written again")
            Fuzz.require(again.signatures.map(\.signedOn) == sheet.signatures.map(\.signedOn), "days changed when written again")
        } catch {
            Fuzz.require(false, "an accepted batch written again is refused: \(error)")
        }
    }

    static func day(_ date: Date) -> String {
        let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC") ?? .current, from: date)
        return String(format: "%04d-%02d-%02d", components.year ?? 0, components.month ?? 0, components.day ?? 0)
    }

    /// A good batch in each separator, one with quoted fields and scripts, and one bad of each kind.
    static func seeds() throws -> [(name: String, bytes: [UInt8])] {
        let seeds = [
            ("good-commas", "name,country,city,date,email\r\nDupont Jean,FR,Lyon,2026-11-02,jean@example.fr\r\nԱնի Հակոբյան,AM,Երևան,2026-10-01,\r\n"),
            ("good-semicolons", "\u{FEFF}name;country;city;date\nDupont, Jean;FR;Lyon;2026-11-02\nОльга;RU;Москва;2026-11-29\n"),
            ("good-quoted", "City,\"Name\",date,country,E-mail\n\"Paris\",\"Say \"\"hi\"\"\",2026-11-03,fr,a@пример.рф\n"),
            ("bad-quote", "name,country,city,date\n\"Ani,AM,Gyumri,2026-11-02\n"),
            ("bad-day", "name,country,city,date\nAni,AM,Gyumri,2026-02-30\n"),
            ("bad-repeat", "name,country,city,date,email\nAni,AM,Gyumri,2026-11-02,a@b.am\nAram,AM,Gyumri,2026-11-02,A@B.am\n"),
        ]
        return seeds.map { (name: $0.0, bytes: Array($0.1.utf8)) }
    }
}
