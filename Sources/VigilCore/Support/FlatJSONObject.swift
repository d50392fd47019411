/// A value that is a JSON object of strings, written as JSON without `JSONEncoder`.
///
/// Each signature seals three such objects (the signer's details, and the fields and address
/// of its e-mail), and `JSONEncoder`'s generic machinery cost more than encrypting the bytes it
/// made. A flat object is written here in one pass over its bytes. The text is what
/// `JSONEncoder` gives, up to the order of members and the escaping of `/`, so `JSONDecoder`
/// reads it back unchanged; property tests hold both to that.
public protocol FlatJSONObject: Encodable {
    /// The members, by their coding keys; a `nil` value is left out, as `JSONEncoder` leaves
    /// out a `nil` optional.
    var jsonMembers: [(key: String, value: String?)] { get }
}

extension FlatJSONObject {
    /// The object as UTF-8 JSON.
    public var flatJSON: [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        for (key, value) in jsonMembers {
            guard let value else { continue }
            if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
            Self.appendString(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            Self.appendString(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// A JSON string (RFC 8259 §7): the quote, the backslash and control characters escaped,
    /// everything else as its UTF-8 bytes.
    private static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0x00..<0x20:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hexDigit(byte >> 4))
                bytes.append(hexDigit(byte & 0x0f))
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}

extension Dictionary: FlatJSONObject where Key == String, Value == String {
    public var jsonMembers: [(key: String, value: String?)] { map { ($0.key, $0.value) } }
}
