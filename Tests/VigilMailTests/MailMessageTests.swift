import Foundation
import PropertyBased
import Testing
@testable import VigilMail

@Suite("Mail message format")
struct MailMessageTests {
    static func message(name: String? = "Ani Hakobyan", subject: String = "Confirm", body: String = "Hello") -> MailMessage {
        MailMessage(
            from: .init(name: "Vigil", address: "petition@example.org"),
            to: .init(name: name, address: "ani@example.org"),
            subject: subject,
            body: body,
            messageID: "<abc123@example.org>",
            date: Date(timeIntervalSince1970: 1_790_000_000)
        )
    }

    @Test("headers are complete, with CRLF line ends and a stable Message-ID")
    func headers() {
        let text = Self.message().rendered()
        #expect(text.contains("From: Vigil <petition@example.org>\r\n"))
        #expect(text.contains("To: Ani Hakobyan <ani@example.org>\r\n"))
        #expect(text.contains("Message-ID: <abc123@example.org>\r\n"))
        #expect(text.contains("Date: Mon, 21 Sep 2026 14:13:20 +0000\r\n"))
        #expect(text.contains("Content-Type: text/plain; charset=utf-8\r\n"))
        #expect(text.contains("Auto-Submitted: auto-generated\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test("the Date header is in UTC, with two-digit fields and English day and month names, on any day of the year")
    func dateHeader() {
        #expect(MailMessage.rfc5322Date(Date(timeIntervalSince1970: 1_798_949_106)) == "Sun, 03 Jan 2027 04:05:06 +0000")
        #expect(MailMessage.rfc5322Date(Date(timeIntervalSince1970: 1_798_761_599)) == "Thu, 31 Dec 2026 23:59:59 +0000")
        #expect(MailMessage.rfc5322Date(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
    }

    @Test("a display name cannot add a header or an address")
    func hostileNames() {
        let injected = Self.message(name: "Eve\r\nBcc: victim@example.org").rendered()
        #expect(!injected.contains("\r\nBcc:"))
        let quoted = Self.message(name: "Eve <eve@evil.example>, \"x\"").rendered()
        #expect(quoted.contains(#"To: "Eve <eve@evil.example>, \"x\"" <ani@example.org>"#))
    }

    @Test("non-ASCII names and subjects are encoded words that decode to the original")
    func encodedWords() throws {
        let subject = "Հաստատեք ձեր ստորագրությունը — Подтвердите подпись"
        let text = Self.message(name: "Անի Հակոբյան", subject: subject).rendered()
        let subjectLine = try #require(text.components(separatedBy: "\r\n\r\n").first?
            .replacingOccurrences(of: "\r\n ", with: " ")
            .components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: ") })
        #expect(subjectLine.allSatisfy { $0.isASCII })
        let decoded = subjectLine.dropFirst("Subject: ".count).split(separator: " ").map { word -> String in
            let base64 = word.dropFirst("=?utf-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(base64)) ?? Data(), as: UTF8.self)
        }.joined()
        #expect(decoded == subject)
        for line in text.components(separatedBy: "\r\n") { #expect(line.count <= 78) }
    }

    @Test("quoted-printable keeps lines short and ASCII and decodes back to the text")
    func quotedPrintable() {
        let original = "Թանկագին ընկեր,\nՍտորագրե՛ք։ = not a soft break\n" + String(repeating: "long line ", count: 20) + "\ntrailing space "
        let encoded = QuotedPrintable.encode(original)
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76)
            #expect(line.allSatisfy { $0.isASCII })
            #expect(!line.hasSuffix(" "))
        }
        #expect(Self.decode(encoded) == original)
    }

    /// Line ends of both kinds, lone carriage returns, spaces and tabs that may end a line,
    /// equals signs, and text of the campaign's scripts and beyond.
    static let bodyCharacters = Array("aZ09 \t=.\n\r\r\nաբգдЖé€💥")
    static let body = Gen<Character?>.element(of: bodyCharacters).map { $0 ?? "a" }.string(of: 0...200)

    @Test("any text is encoded in short ASCII lines with no space at their ends, and decodes back")
    func quotedPrintableProperty() async {
        await propertyCheck(input: Self.body) { text in
            let encoded = QuotedPrintable.encode(text)
            for line in encoded.components(separatedBy: "\r\n") {
                #expect(line.utf8.count <= QuotedPrintable.lineLimit)
                #expect(line.utf8.allSatisfy { ($0 >= 32 && $0 < 127) || $0 == UInt8(ascii: "\t") })
                #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"))
            }
            #expect(!encoded.utf8.contains(UInt8(ascii: "\n")) || encoded.contains("\r\n"))
            #expect(Self.decode(encoded) == text.replacingOccurrences(of: "\r\n", with: "\n"))
        }
    }

    /// A plain quoted-printable decoder, independent of the encoder under test.
    static func decode(_ text: String) -> String {
        let joined = text.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "\r\n", with: "\n")
        var bytes: [UInt8] = []
        var characters = Array(joined.utf8)[...]
        while let byte = characters.popFirst() {
            if byte == UInt8(ascii: "="), characters.count >= 2,
               let value = UInt8(String(decoding: characters.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                characters = characters.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("the sender setting reads a name and an address, or a bare address")
    func mailboxParsing() throws {
        let full = try MailMessage.Mailbox(parsing: "Armenian Cause <petition@example.org>")
        #expect(full.name == "Armenian Cause" && full.address == "petition@example.org")
        let bare = try MailMessage.Mailbox(parsing: "petition@example.org")
        #expect(bare.name == nil && bare.address == "petition@example.org")
        #expect(throws: MailDeliveryError.self) { try MailMessage.Mailbox(parsing: "not an address") }
    }
}
