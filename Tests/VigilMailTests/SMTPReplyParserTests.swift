import Testing
@testable import VigilMail

@Suite("SMTP reply parser")
struct SMTPReplyParserTests {
    @Test func singleLineReply() throws {
        var parser = SMTPReplyParser()
        let replies = try parser.parse(Array("220 mail.example.org ESMTP ready\r\n".utf8))
        #expect(replies == [SMTPReply(code: 220, lines: ["mail.example.org ESMTP ready"])])
        #expect(parser.isIdle)
    }

    @Test func multiLineReplyArrivingInPieces() throws {
        var parser = SMTPReplyParser()
        let text = "250-mail.example.org\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n250 SMTPUTF8\r\n"
        var replies: [SMTPReply] = []
        // Pieces of three bytes cut through codes, separators and line ends.
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            replies += try parser.parse(bytes.prefix(3))
            bytes = bytes.dropFirst(3)
            if !bytes.isEmpty { #expect(replies.isEmpty) }
        }
        #expect(replies == [SMTPReply(code: 250, lines: ["mail.example.org", "STARTTLS", "AUTH PLAIN LOGIN", "SMTPUTF8"])])
    }

    @Test func severalRepliesAtOnceAndBareCodes() throws {
        var parser = SMTPReplyParser()
        let replies = try parser.parse(Array("250 2.1.0 OK\r\n354\r\n221 bye\n".utf8))
        #expect(replies.map(\.code) == [250, 354, 221])
        #expect(replies[1].lines == [""])
        #expect(replies[2].lines == ["bye"])
    }

    @Test func partialReplyIsKept() throws {
        var parser = SMTPReplyParser()
        #expect(try parser.parse(Array("250-first\r\n250 sec".utf8)).isEmpty)
        #expect(!parser.isIdle)
        #expect(try parser.parse(Array("ond\r\n".utf8)) == [SMTPReply(code: 250, lines: ["first", "second"])])
        #expect(parser.isIdle)
    }

    @Test(arguments: ["hello\r\n", "25\r\n", "250x text\r\n", "650 nope\r\n", "2a0 text\r\n", "\r\n"])
    func malformedLinesAreRejected(_ text: String) {
        var parser = SMTPReplyParser()
        #expect(throws: SMTPReplyParser.Failure.self) { try parser.parse(Array(text.utf8)) }
    }

    @Test func codesMustNotChangeWithinAReply() {
        var parser = SMTPReplyParser()
        #expect(throws: SMTPReplyParser.Failure.mixedCodes(first: 250, then: 550)) {
            try parser.parse(Array("250-one\r\n550 two\r\n".utf8))
        }
    }

    @Test func overlongLineIsRejectedBeforeItEnds() throws {
        var parser = SMTPReplyParser()
        let exactlyAtLimit = "250 " + String(repeating: "a", count: SMTPReplyParser.maximumLineLength - 4)
        #expect(try parser.parse(Array((exactlyAtLimit + "\n").utf8)).count == 1)
        let tooLong = Array(("250 " + String(repeating: "a", count: SMTPReplyParser.maximumLineLength)).utf8)
        #expect(throws: SMTPReplyParser.Failure.lineTooLong(limit: SMTPReplyParser.maximumLineLength)) {
            try parser.parse(tooLong)
        }
    }

    @Test func endlessReplyIsRejected() {
        var parser = SMTPReplyParser()
        let lines = String(repeating: "250-more\r\n", count: SMTPReplyParser.maximumLinesPerReply + 1)
        #expect(throws: SMTPReplyParser.Failure.tooManyLines(limit: SMTPReplyParser.maximumLinesPerReply)) {
            try parser.parse(Array(lines.utf8))
        }
    }

    @Test func descriptionIsOneSafeLine() {
        let reply = SMTPReply(code: 550, lines: ["5.1.1 no such\u{1b}[31m user", "second line"])
        #expect(reply.description == "550 5.1.1 no such [31m user second line")
        let long = SMTPReply(code: 421, lines: [String(repeating: "x", count: 1000)])
        #expect(long.description.count == "421 ".count + SMTPReply.descriptionLimit + 1)
        #expect(SMTPReply(code: 354, lines: [""]).description == "354")
    }
}

@Suite("SMTP EHLO capabilities")
struct SMTPCapabilitiesTests {
    @Test func extensionsAreRead() {
        let reply = SMTPReply(code: 250, lines: [
            "mail.example.org greets localhost", "SIZE 35882577", "8BITMIME", "starttls",
            "AUTH PLAIN LOGIN", "AUTH=CRAM-MD5", "SMTPUTF8",
        ])
        let capabilities = SMTPCapabilities(ehloReply: reply)
        #expect(capabilities.startTLS)
        #expect(capabilities.smtpUTF8)
        #expect(capabilities.size)
        #expect(capabilities.maximumSize == 35_882_577)
        #expect(capabilities.authMechanisms == ["PLAIN", "LOGIN", "CRAM-MD5"])
    }

    @Test func theGreetingLineIsNotAnExtension() {
        let capabilities = SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["STARTTLS"]))
        #expect(capabilities == SMTPCapabilities())
    }

    @Test func sizeZeroMeansNoLimit() {
        let capabilities = SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["host", "SIZE 0"]))
        #expect(capabilities.size)
        #expect(capabilities.maximumSize == nil)
    }
}
