import Foundation

/// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5), for tokens in links.
///
/// Both directions work on bytes and translate the alphabet with a switch: every page view and
/// every signature encodes or decodes a token, and string replacement cost far more.
public enum Base64URL {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var characters: [UInt8] = []
        for character in Data(bytes).base64EncodedData() {
            switch character {
            case UInt8(ascii: "+"): characters.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): characters.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: characters.append(character)
            }
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// Decodes URL-safe base64, or returns `nil` for anything else.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var standard: [UInt8] = []
        standard.reserveCapacity(text.utf8.count + 3)
        for character in text.utf8 {
            switch character {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                standard.append(character)
            case UInt8(ascii: "-"): standard.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): standard.append(UInt8(ascii: "/"))
            default: return nil
            }
        }
        standard += Array(repeating: UInt8(ascii: "="), count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: Data(standard)).map(Array.init)
    }
}
