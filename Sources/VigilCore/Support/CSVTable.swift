import Foundation

/// A table read from CSV text (RFC 4180), strictly: text that is not well-formed is refused with
/// the line where reading stopped, never guessed at.
///
/// The libraries at hand read malformed quoting without complaint or without saying where, and
/// a paper batch must be refused whole with the line named (docs/decisions.md).
public struct CSVTable: Sendable, Equatable {
    /// One record and the line of the text it starts on (a quoted field may span lines).
    public struct Record: Sendable, Equatable {
        public let line: Int
        public let fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// Why the text is not a CSV table.
    public enum Problem: Error, Sendable, Equatable {
        /// The bytes are not UTF-8; `line` is the first line that is not.
        case notUTF8(line: Int)
        /// A quoted field that the text never closes.
        case unclosedQuote(line: Int)
        /// A quote inside a field that did not start with one.
        case strayQuote(line: Int)
        /// Something other than a separator or a line end after a closing quote.
        case textAfterQuote(line: Int)

        /// The line where reading stopped.
        public var line: Int {
            switch self {
            case .notUTF8(let line), .unclosedQuote(let line), .strayQuote(let line), .textAfterQuote(let line): line
            }
        }
    }

    /// The character between fields: `,` or, as spreadsheets write it in many European
    /// languages, `;`.
    public let separator: Unicode.Scalar
    /// Every record, blank lines left out.
    public let records: [Record]

    /// Reads CSV text; the separator is `;` when the header has one before any comma.
    ///
    /// A UTF-8 byte order mark is skipped; lines may end in CRLF or LF.
    public init(_ data: Data) throws(Problem) {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw .notUTF8(line: Self.firstLineNotUTF8(bytes))
        }
        try self.init(text)
    }

    /// Reads CSV text that is already a string.
    public init(_ text: String) throws(Problem) {
        separator = Self.separator(of: text)
        records = try Self.records(in: text, separator: separator)
    }

    /// `;` when the first record has one outside quotes before any comma, `,` otherwise.
    private static func separator(of text: String) -> Unicode.Scalar {
        var quoted = false
        for scalar in text.unicodeScalars {
            if scalar == "\"" {
                quoted.toggle()
            } else if !quoted, scalar == "," || scalar == ";" {
                return scalar
            } else if !quoted, scalar == "\n" || scalar == "\r" {
                break
            }
        }
        return ","
    }

    /// Writes records as CSV text, quoting only the fields that need it, with CRLF line ends.
    /// Reading the text gives the same fields back when the first row has two or more (one
    /// field shows no separator) and no row is a single empty field (a blank line).
    public static func text(_ rows: [[String]], separator: Unicode.Scalar = ",") -> String {
        rows.map { $0.map(quoted).joined(separator: String(separator)) + "\r\n" }.joined()
    }

    /// A field as CSV writes it: in quotes, with quotes doubled, when it holds a separator
    /// (either, so that the reader's guess of the separator stays right), a quote or a line end;
    /// as it is otherwise.
    public static func quoted(_ field: String) -> String {
        let needsQuotes = field.unicodeScalars.contains { $0 == "," || $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        guard needsQuotes else { return field }
        // Doubled scalar by scalar: a quote followed by a combining mark is one Character, which
        // a replacement over Characters would leave single.
        var text = String.UnicodeScalarView()
        for scalar in field.unicodeScalars {
            if scalar == "\"" { text.append(scalar) }
            text.append(scalar)
        }
        return "\"" + String(text) + "\""
    }

    /// Reads scalar by scalar, not character by character: a combining mark after a separator
    /// or a quote would otherwise hide it inside one grapheme.
    private static func records(in text: String, separator: Unicode.Scalar) throws(Problem) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var recordLine = 1
        var quoted = false
        var afterQuote = false
        var fieldStarted = false
        var afterCR = false

        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            afterQuote = false
            fieldStarted = false
        }
        func endRecord() {
            endField()
            // A blank line is no record: spreadsheets leave them at the end.
            if fields != [""] { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
        }

        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            if quoted {
                if scalar == "\"" {
                    quoted = false
                    afterQuote = true
                } else {
                    if scalar == "\r" || (scalar == "\n" && !afterCR) { line += 1 }
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where afterQuote:
                // A doubled quote inside a quoted field.
                field.append("\"")
                quoted = true
                afterQuote = false
            case "\"":
                guard !fieldStarted else { throw .strayQuote(line: line) }
                quoted = true
                fieldStarted = true
            case separator:
                endField()
            case "\n" where afterCR:
                // The second half of CRLF: the record already ended at CR.
                break
            case "\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            default:
                guard !afterQuote else { throw .textAfterQuote(line: line) }
                field.append(scalar)
                fieldStarted = true
            }
        }
        guard !quoted else { throw .unclosedQuote(line: recordLine) }
        if fieldStarted || !fields.isEmpty { endRecord() }
        return records
    }

    private static func firstLineNotUTF8(_ bytes: Data.SubSequence) -> Int {
        var line = 1
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.endIndex
            if String(bytes: bytes[start..<end], encoding: .utf8) == nil { return line }
            line += 1
            start = end == bytes.endIndex ? end : bytes.index(after: end)
        }
        return line
    }
}
