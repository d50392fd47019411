import Foundation
import Testing
import VigilCore

@Suite("Byte encodings and random bytes")
struct EncodingTests {
    @Test("URL-safe base64 reads back what it wrote, in its own alphabet, for every length up to 100")
    func base64URLRoundTrip() {
        let random = SystemRandomSource()
        for length in 0...100 {
            let bytes = random.bytes(length)
            let text = Base64URL.encode(bytes)
            #expect(Base64URL.decode(text) == bytes)
            #expect(!text.contains { "+/=".contains($0) }, "\(text)")
            // The standard alphabet, translated, is what Foundation writes.
            let standard = Data(bytes).base64EncodedString().replacingOccurrences(of: "=", with: "")
            #expect(text == standard.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 }.map(String.init).joined())
        }
    }

    @Test("URL-safe base64 refuses the standard alphabet's extra characters, padding, other text and impossible lengths")
    func base64URLRefusals() {
        for text in ["ab+c", "ab/c", "abc=", "aé", "a b", "abcde", "\u{0}"] {
            #expect(Base64URL.decode(text) == nil, "\(text)")
        }
        #expect(Base64URL.decode("") == [])
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
    }

    @Test("hexadecimal has two lower-case digits per byte, as printf writes them")
    func hex() {
        let bytes = (0...255).map(UInt8.init)
        #expect(bytes.hexString == bytes.map { String(format: "%02x", $0) }.joined())
        #expect([UInt8]().hexString == "")
    }

    @Test("the system's random source gives exactly the bytes asked for, and not the same twice")
    func randomBytes() {
        let random = SystemRandomSource()
        for count in [0, 1, 7, 8, 9, 31, 32, 33] {
            #expect(random.bytes(count).count == count)
        }
        #expect(random.bytes(32) != random.bytes(32))
    }
}
