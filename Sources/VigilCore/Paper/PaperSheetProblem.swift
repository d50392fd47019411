/// Why a batch of paper signatures was refused, and where in its file.
public struct PaperSheetProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case tooLarge(maximumBytes: Int)
        case malformed(CSVTable.Problem)
        case empty
        case tooManyRows(maximum: Int)
        case unknownColumn(String)
        case repeatedColumn
        case missingColumn
        case wrongFieldCount(expected: Int, found: Int)
        case field(FieldProblem)
        case notADay
        case dayInFuture
        case dayBeforeOpening
        case repeatedEmail(firstLine: Int)
    }

    public let kind: Kind
    /// The line of the file, when the problem is on one.
    public let line: Int?
    /// The column, when the problem is in one.
    public let column: PaperSheet.Column?

    public init(_ kind: Kind, line: Int? = nil, column: PaperSheet.Column? = nil) {
        self.kind = kind
        self.line = line
        self.column = column
    }

    /// The problem in words a coordinator can act on, with its line and column first.
    public var description: String {
        let place = [line.map { "line \($0)" }, column.map { "column “\($0.rawValue)”" }].compactMap { $0 }.joined(separator: ", ")
        return place.isEmpty ? explanation : "\(place): \(explanation)"
    }

    /// The key of the explanation in the message catalogues; ``messageValues`` fills it in.
    public var messageKey: String {
        switch kind {
        case .tooLarge: "paper_sheet_too_large"
        case .malformed(.notUTF8): "paper_sheet_not_utf8"
        case .malformed(.unclosedQuote): "paper_sheet_unclosed_quote"
        case .malformed(.strayQuote): "paper_sheet_stray_quote"
        case .malformed(.textAfterQuote): "paper_sheet_text_after_quote"
        case .empty: "paper_sheet_empty"
        case .tooManyRows: "paper_sheet_too_many_rows"
        case .unknownColumn: "paper_sheet_unknown_column"
        case .repeatedColumn: "paper_sheet_repeated_column"
        case .missingColumn: "paper_sheet_missing_column"
        case .wrongFieldCount: "paper_sheet_wrong_field_count"
        case .field(.required): "paper_sheet_required"
        case .field(.tooLong): "paper_sheet_too_long"
        case .field(.malformedEmail): "paper_sheet_malformed_email"
        case .field(.unknownCountry): "paper_sheet_unknown_country"
        case .field(.unreadableText): "paper_sheet_unreadable_text"
        case .field(.controlCharacters): "paper_sheet_control_characters"
        case .notADay: "paper_sheet_not_a_day"
        case .dayInFuture: "paper_sheet_day_in_future"
        case .dayBeforeOpening: "paper_sheet_day_before_opening"
        case .repeatedEmail: "paper_sheet_repeated_email"
        }
    }

    /// The numbers and names the explanation's text takes, unformatted.
    public var messageValues: [String: String] {
        switch kind {
        case .tooLarge(let maximum): ["maximum": String(maximum / 1_048_576)]
        case .tooManyRows(let maximum), .field(.tooLong(let maximum)): ["maximum": String(maximum)]
        case .unknownColumn(let title): ["title": title]
        case .wrongFieldCount(let expected, let found): ["expected": String(expected), "found": String(found)]
        case .repeatedEmail(let first): ["first_line": String(first)]
        default: [:]
        }
    }

    private var explanation: String {
        switch kind {
        case .tooLarge(let maximum): "the file is larger than \(maximum / 1_048_576) MiB; split the batch"
        case .malformed(.notUTF8): "the text is not UTF-8; save the file as “CSV UTF-8”"
        case .malformed(.unclosedQuote): "a quoted field is never closed"
        case .malformed(.strayQuote): "a quote inside a field that does not start with one; put the whole field in quotes and double the quote"
        case .malformed(.textAfterQuote): "text after a closing quote; put a separator or a line end after it"
        case .empty: "the file holds no signatures"
        case .tooManyRows(let maximum): "more than \(maximum) signatures; split the batch"
        case .unknownColumn(let title): "“\(title)” is not a column of the template (name, country, city, date, email)"
        case .repeatedColumn: "the column appears twice"
        case .missingColumn: "the column is missing"
        case .wrongFieldCount(let expected, let found): "\(found) fields where the header has \(expected)"
        case .field(.required): "this is required"
        case .field(.tooLong(let maximum)): "longer than \(maximum) characters"
        case .field(.malformedEmail): "not an e-mail address"
        case .field(.unknownCountry): "not a two-letter ISO 3166 country code such as AM or FR"
        case .field(.unreadableText): "the text is unreadable"
        case .field(.controlCharacters): "holds control characters"
        case .notADay: "not a day written YYYY-MM-DD"
        case .dayInFuture: "the day is in the future"
        case .dayBeforeOpening: "the day is before the petition opened"
        case .repeatedEmail(let first): "the same e-mail address as on line \(first)"
        }
    }
}
