import Foundation
import Testing
@testable import VigilMail

@Suite("SMTP DATA encoding")
struct SMTPMessageDataTests {
    private func encoded(_ text: String) -> String {
        String(decoding: SMTPMessageData.encode(text), as: UTF8.self)
    }

    @Test func linesStartingWithADotGetAnotherDot() {
        #expect(encoded("a\r\n.b\r\n.\r\nc.d\r\n..e") == "a\r\n..b\r\n..\r\nc.d\r\n...e\r\n.\r\n")
    }

    @Test func aDotOnTheFirstLineIsStuffedToo() {
        #expect(encoded(".start") == "..start\r\n.\r\n")
    }

    @Test func bareLineEndsBecomeCRLF() {
        #expect(encoded("one\ntwo\rthree\r\n.four\n") == "one\r\ntwo\r\nthree\r\n..four\r\n.\r\n")
    }

    @Test func aFinalLineEndIsNotDoubled() {
        #expect(encoded("text\r\n") == "text\r\n.\r\n")
        #expect(encoded("") == ".\r\n")
    }

    @Test func renderedMessageWithDotLinesKeepsEveryLine() {
        let message = MailMessage(
            from: .init(address: "a@example.org"), to: .init(address: "b@example.org"),
            subject: "s", body: "first\n.\n.second", messageID: "<1@example.org>", date: .init(timeIntervalSince1970: 0)
        )
        let data = encoded(message.rendered())
        #expect(data.hasSuffix("\r\nfirst\r\n..\r\n..second\r\n.\r\n"))
        // Only the closing line is a lone dot, so the server cannot take the message to end early.
        #expect(data.components(separatedBy: "\r\n.\r\n").count == 2)
    }
}
