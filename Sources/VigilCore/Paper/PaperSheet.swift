import Foundation

/// One signature copied from a paper sheet, as checked.
public struct PaperSignature: Sendable, Equatable {
    /// The line of the CSV file it came from, for the reviewer to find it on the sheet.
    public let line: Int
    public let name: String
    public let country: Country
    public let city: String
    /// The day written on the sheet, as midnight UTC.
    public let signedOn: Date
    /// Paper signers need not give an address; when they do, it finds duplicates of online signatures.
    public let email: EmailAddress?
}

/// The signatures of a batch of paper sheets, read from the CSV file a coordinator typed them into.
///
/// A batch is taken whole or not at all: the first problem refuses it, naming the line and the
/// column, so that the coordinator can correct the file and send it again.
public struct PaperSheet: Sendable, Equatable {
    /// The columns of the file, in the order of the template; the header may put them in any order.
    public enum Column: String, Sendable, CaseIterable {
        case name, country, city, date, email
    }

    public let signatures: [PaperSignature]

    /// The largest file accepted: far more than the sheets of one collection, far less than
    /// would let one upload tie up the server.
    public static let maximumBytes = 2 << 20
    /// The most rows in one batch.
    public static let maximumRows = 5_000

    /// The header line of an empty template, for coordinators to fill in.
    public static let template = CSVTable.text([Column.allCases.map(\.rawValue)])

    /// Reads and checks a batch.
    ///
    /// - Parameters:
    ///   - openedOn: the day the petition opened; a sheet cannot be signed before it.
    ///   - today: the latest day a sheet can carry.
    public init(csv data: Data, openedOn: Date, today: Date) throws(PaperSheetProblem) {
        guard data.count <= Self.maximumBytes else { throw PaperSheetProblem(.tooLarge(maximumBytes: Self.maximumBytes)) }
        let table: CSVTable
        do {
            table = try CSVTable(data)
        } catch {
            throw PaperSheetProblem(.malformed(error), line: error.line)
        }
        guard let header = table.records.first else { throw PaperSheetProblem(.empty) }
        let columns = try Self.columns(in: header)
        let rows = table.records.dropFirst()
        guard !rows.isEmpty else { throw PaperSheetProblem(.empty) }
        guard rows.count <= Self.maximumRows else { throw PaperSheetProblem(.tooManyRows(maximum: Self.maximumRows)) }

        var signatures: [PaperSignature] = []
        var firstLineOfAddress: [String: Int] = [:]
        for row in rows {
            let signature = try Self.signature(in: row, columns: columns, openedOn: openedOn, today: today)
            if let email = signature.email {
                if let first = firstLineOfAddress[email.normalised] {
                    throw PaperSheetProblem(.repeatedEmail(firstLine: first), line: row.line, column: .email)
                }
                firstLineOfAddress[email.normalised] = row.line
            }
            signatures.append(signature)
        }
        self.signatures = signatures
    }

    /// The position of each column in the header: every column but `email` is required, none
    /// may appear twice, and no other column is allowed (it would be data nobody checks).
    private static func columns(in header: CSVTable.Record) throws(PaperSheetProblem) -> [Column: Int] {
        var columns: [Column: Int] = [:]
        for (index, title) in header.fields.enumerated() {
            let name = title.trimmingCharacters(in: .whitespaces).lowercased()
            guard let column = Column(rawValue: name == "e-mail" ? "email" : name) else {
                throw PaperSheetProblem(.unknownColumn(title), line: header.line)
            }
            guard columns[column] == nil else { throw PaperSheetProblem(.repeatedColumn, line: header.line, column: column) }
            columns[column] = index
        }
        for column in Column.allCases where column != .email && columns[column] == nil {
            throw PaperSheetProblem(.missingColumn, line: header.line, column: column)
        }
        return columns
    }

    private static func signature(
        in row: CSVTable.Record, columns: [Column: Int], openedOn: Date, today: Date
    ) throws(PaperSheetProblem) -> PaperSignature {
        guard row.fields.count == columns.count else {
            throw PaperSheetProblem(.wrongFieldCount(expected: columns.count, found: row.fields.count), line: row.line)
        }
        func value(_ column: Column) -> String {
            columns[column].map { SignatureForm.cleaned(row.fields[$0]) } ?? ""
        }
        func check(_ column: Column, as field: SignatureField) throws(PaperSheetProblem) -> String {
            let text = value(column)
            if let problem = SignatureForm.problem(in: text, field: field, required: true, multiline: false) {
                throw PaperSheetProblem(.field(problem), line: row.line, column: column)
            }
            return text
        }

        let name = try check(.name, as: .name)
        guard let country = Country(code: value(.country)) else {
            let problem: FieldProblem = value(.country).isEmpty ? .required : .unknownCountry
            throw PaperSheetProblem(.field(problem), line: row.line, column: .country)
        }
        let city = try check(.city, as: .city)

        guard let signedOn = Date(day: value(.date)) else {
            throw PaperSheetProblem(value(.date).isEmpty ? .field(.required) : .notADay, line: row.line, column: .date)
        }
        guard TallyDay(signedOn) <= TallyDay(today) else { throw PaperSheetProblem(.dayInFuture, line: row.line, column: .date) }
        guard TallyDay(signedOn) >= TallyDay(openedOn) else { throw PaperSheetProblem(.dayBeforeOpening, line: row.line, column: .date) }

        var email: EmailAddress?
        if !value(.email).isEmpty {
            do {
                email = try EmailAddress(value(.email))
            } catch .tooLong {
                throw PaperSheetProblem(.field(.tooLong(maximum: EmailAddress.maximumLength)), line: row.line, column: .email)
            } catch {
                throw PaperSheetProblem(.field(.malformedEmail), line: row.line, column: .email)
            }
        }
        return PaperSignature(line: row.line, name: name, country: country, city: city, signedOn: signedOn, email: email)
    }
}
