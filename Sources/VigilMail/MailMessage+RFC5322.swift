import Foundation

extension MailMessage {
    /// The message in Internet Message Format (RFC 5322) with MIME headers (RFC 2045–2047):
    /// CRLF line ends, non-ASCII header text encoded-word encoded, the body quoted-printable.
    ///
    /// Quoted-printable keeps every line short and 7-bit, so any SMTP server can relay it,
    /// while the English parts stay readable in a raw `.eml` file.
    public func rendered() -> String {
        var headers = [
            "Date: \(Self.rfc5322Date(date))",
            "From: \(Self.header(for: from))",
            "To: \(Self.header(for: to))",
            "Subject: \(Self.encodedWords(subject))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            // Tells mail systems this is an automatic message, so they send no out-of-office replies.
            "Auto-Submitted: auto-generated",
        ]
        if let unsubscribeURL {
            headers.append("List-Unsubscribe: <\(unsubscribeURL)>")
            headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + QuotedPrintable.encode(body)
    }

    /// A mailbox header value. A display name that is not plain words is quoted (ASCII) or
    /// encoded (anything else), so text a signer typed can never add an address or a header.
    static func header(for mailbox: Mailbox) -> String {
        let name = (mailbox.name ?? "").filter { !$0.isNewline }
        guard !name.isEmpty else { return mailbox.address }
        let display: String
        if name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " ") }) {
            display = name
        } else if name.allSatisfy({ $0.isASCII }) {
            display = "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        } else {
            display = encodedWords(name, always: true)
        }
        return "\(display) <\(mailbox.address)>"
    }

    /// RFC 2047 encoded words (`=?utf-8?B?…?=`) for text that is not plain ASCII, split so that
    /// no encoded word exceeds 75 characters and no character is cut in half.
    static func encodedWords(_ text: String, always: Bool = false) -> String {
        let plain = text.allSatisfy { $0.isASCII && !$0.isNewline } && !text.contains("=?")
        if plain && !always { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text.replacingOccurrences(of: "\n", with: " ") {
            let bytes = Array(String(character).utf8)
            // 39 bytes of UTF-8 become 52 base64 characters, 64 with the =?utf-8?B? ?= frame:
            // short enough for a header name before it on a 78-character line.
            if chunk.count + bytes.count > 39 {
                words.append(Data(chunk).base64EncodedString())
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(Data(chunk).base64EncodedString()) }
        return words.map { "=?utf-8?B?\($0)?=" }.joined(separator: "\r\n ")
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
