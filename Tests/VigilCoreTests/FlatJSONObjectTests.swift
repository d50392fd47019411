import Foundation
import PropertyBased
import Testing
import VigilCore

@Suite("Flat JSON objects")
struct FlatJSONObjectTests {
    /// Characters JSON must escape, and text of the campaign's scripts and beyond.
    static let characters = Array("aZ09 \"\\/\n\r\t\u{0}\u{1}\u{1F}\u{7F}éաբգдЖ€💥\u{2028}{}[]:,")
    static let text = Gen<Character?>.element(of: characters).map { $0 ?? "a" }.string(of: 0...12)
    static let object = zip(text, text).array(of: 0...6).map { pairs in
        Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    @Test("an object of strings written by hand is read back by JSONDecoder unchanged")
    func readBack() async {
        await propertyCheck(input: Self.object) { object in
            let decoded = try JSONDecoder().decode([String: String].self, from: Data(object.flatJSON))
            #expect(decoded == object)
        }
    }

    @Test("control characters, quotes and backslashes are escaped; other text is kept as UTF-8")
    func escaping() {
        let written = String(decoding: ["k": "a\"b\\c\n\u{1}ա"].flatJSON, as: UTF8.self)
        #expect(written == #"{"k":"a\"b\\c\u000a\u0001ա"}"#)
        #expect(String(decoding: [String: String]().flatJSON, as: UTF8.self) == "{}")
    }

    @Test("a sealed object of strings opens to the same object")
    func sealed() throws {
        let cipher = PersonalDataCipher(masterKey: Array(repeating: 3, count: 32))
        let fields = ["name": "Զապել \"Եսայան\"", "token": "abc\\def"]
        #expect(try cipher.open(json: [String: String].self, from: cipher.seal(json: fields)) == fields)
    }
}
