/// The bytes sent after DATA's 354 reply (RFC 5321 §4.5.2).
enum SMTPMessageData {
    /// The message with every line ended by CRLF, each line that starts with "." given a second
    /// "." (the server removes it again), and the closing "." line.
    ///
    /// Without the extra dot a line holding only "." would end the message early, and a line like
    /// ".Hello" would lose its dot. Bare CR and LF are turned into CRLF because SMTP forbids them
    /// and some servers reject or mangle them.
    static func encode(_ message: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.utf8.count + message.utf8.count / 40 + 8)
        var atLineStart = true
        var afterCR = false
        for byte in message.utf8 {
            switch byte {
            case UInt8(ascii: "\r"):
                output += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
                atLineStart = true
                afterCR = true
            case UInt8(ascii: "\n"):
                if !afterCR { output += [UInt8(ascii: "\r"), UInt8(ascii: "\n")] }
                atLineStart = true
                afterCR = false
            default:
                if atLineStart && byte == UInt8(ascii: ".") { output.append(UInt8(ascii: ".")) }
                output.append(byte)
                atLineStart = false
                afterCR = false
            }
        }
        if !atLineStart { output += [UInt8(ascii: "\r"), UInt8(ascii: "\n")] }
        output += [UInt8(ascii: "."), UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        return output
    }
}
