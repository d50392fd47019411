import Crypto
import Foundation
import PropertyBased
import Testing
import VigilCore

@Suite("Prepared MAC keys")
struct MACKeyTests {
    static let text = Gen<Character?>.element(of: Array("aZ09 .:@-ա日💥")).map { $0 ?? "a" }.string(of: 0...100)
    static let key = Gen<UInt8>.uint8(in: 0...255).array(of: 32)

    @Test("a prepared key gives the code HMAC-SHA256 gives, text after text")
    func sameAsHMAC() async {
        await propertyCheck(input: Self.key, Self.text, Self.text) { keyBytes, first, second in
            let key = SymmetricKey(data: keyBytes)
            let prepared = MACKey(key)
            for text in [first, second, first] {
                let expected = Array(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key))
                #expect(prepared.code(for: text).withUnsafeBytes { Array($0) } == expected)
                #expect(prepared.hexCode(for: text) == expected.hexString)
            }
        }
    }

    @Test("only the exact code of the text is valid")
    func validity() {
        let key = MACKey(SymmetricKey(data: Array(repeating: 9, count: 32)))
        let code = key.code(for: "secret.1700000000").withUnsafeBytes { Array($0) }
        #expect(key.isValid(code, for: "secret.1700000000"))
        #expect(!key.isValid(code, for: "secret.1700000001"))
        #expect(!key.isValid(Array(code.dropLast()), for: "secret.1700000000"))
        var altered = code
        altered[0] ^= 1
        #expect(!key.isValid(altered, for: "secret.1700000000"))
        #expect(!key.isValid([], for: "secret.1700000000"))
    }
}
