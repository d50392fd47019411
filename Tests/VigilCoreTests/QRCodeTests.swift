import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import VigilTestSupport
@testable import VigilCore

@Suite("QR code encoding")
struct QRCodeTests {
    @Test("Reed–Solomon codewords match the published 1-M HELLO WORLD example")
    func reedSolomonKnownVector() {
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        let expected: [UInt8] = [196, 35, 39, 119, 235, 215, 231, 226, 93, 23]
        #expect(QRCode.errorCorrectionCodewords(for: data, count: 10) == expected)
    }

    @Test("ASCII goes in one byte-mode segment followed by terminator and alternating pad codewords")
    func asciiDataCodewords() {
        // 0100 | 00000010 | 01100001 01100010 | 0000, then 0xEC 0x11 … up to 1-M's 16 codewords.
        let codewords = QRCode.dataCodewords(for: Array("ab".utf8), version: 1, correction: .medium)
        let expected: [UInt8] = [
            0x40, 0x26, 0x16, 0x20, 0xEC, 0x11, 0xEC, 0x11,
            0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
        ]
        #expect(codewords == expected)
    }

    @Test("Non-ASCII text is preceded by the ECI designator for UTF-8")
    func utf8DataCodewords() {
        // 0111 | 00011010 (ECI 26) | 0100 | 00000010 | 11000011 10101001 ("é") | 0000 terminator.
        let codewords = QRCode.dataCodewords(for: Array("é".utf8), version: 1, correction: .medium)
        let expected: [UInt8] = [
            0x71, 0xA4, 0x02, 0xC3, 0xA9, 0x00, 0xEC, 0x11,
            0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
        ]
        #expect(codewords == expected)
    }

    @Test("Format information is the published BCH(15,5) word for each level and mask checked")
    func formatInformation() {
        #expect(QRCode.formatBits(correction: .medium, mask: 0) == 0b101010000010010)
        #expect(QRCode.formatBits(correction: .low, mask: 4) == 0b110011000101111)
        #expect(QRCode.formatBits(correction: .quartile, mask: 0) == 0b011010101011111)
        #expect(QRCode.formatBits(correction: .high, mask: 0) == 0b001011010001001)
    }

    @Test("Version information is the published BCH(18,6) word")
    func versionInformation() {
        #expect(QRCode.versionBits(version: 7) == 0b000111110010010100)
        #expect(QRCode.versionBits(version: 40) == 0b101000110001101001)
    }

    @Test("Alignment pattern centres follow the standard's table, including version 32's odd spacing")
    func alignmentCentres() {
        #expect(QRCode.alignmentCentres(version: 1) == [])
        #expect(QRCode.alignmentCentres(version: 2) == [6, 18])
        #expect(QRCode.alignmentCentres(version: 7) == [6, 22, 38])
        #expect(QRCode.alignmentCentres(version: 32) == [6, 34, 60, 86, 112, 138])
        #expect(QRCode.alignmentCentres(version: 36) == [6, 24, 50, 76, 102, 128, 154])
        #expect(QRCode.alignmentCentres(version: 40) == [6, 30, 58, 86, 114, 142, 170])
    }

    @Test("Every version and level holds exactly the standard's published byte-mode capacity")
    func capacities() {
        let levels: [QRCode.ErrorCorrection] = [.low, .medium, .quartile, .high]
        for (index, row) in publishedByteCapacities.enumerated() {
            let capacities = levels.map {
                QRCode.byteCapacity(version: index + 1, correction: $0, designatingUTF8: false)
            }
            #expect(capacities == row, "version \(index + 1)")
        }
    }

    @Test("The smallest version that fits is chosen: 14 bytes fit 1-M, 15 need version 2")
    func versionSelection() throws {
        #expect(try QRCode(encoding: String(repeating: "a", count: 14)).version == 1)
        #expect(try QRCode(encoding: String(repeating: "a", count: 15)).version == 2)
        #expect(try QRCode(encoding: String(repeating: "a", count: 14), correction: .high).version == 2)
        #expect(try QRCode(encoding: String(repeating: "a", count: 15), correction: .high).version == 3)
        #expect(try QRCode(encoding: "").version == 1)
    }

    @Test("2331 bytes fill version 40 at level M and one more byte is refused")
    func tooLong() throws {
        let largest = try QRCode(encoding: String(repeating: "a", count: 2331))
        #expect(largest.version == 40)
        #expect(largest.size == 177)
        #expect(throws: QRCode.Failure.tooLong(bytes: 2332, maximum: 2331)) {
            try QRCode(encoding: String(repeating: "a", count: 2332))
        }
        #expect(throws: QRCode.Failure.tooLong(bytes: 2954, maximum: 2953)) {
            try QRCode(encoding: String(repeating: "a", count: 2954), correction: .low)
        }
        // Text that is not ASCII spends 12 bits declaring UTF-8, which costs it a byte here.
        #expect(throws: QRCode.Failure.tooLong(bytes: 2331, maximum: 2330)) {
            try QRCode(encoding: String(repeating: "é", count: 1165) + "a")
        }
    }

    @Test("Finder patterns with light separators sit at three corners and not the fourth")
    func finderPatterns() throws {
        let code = try QRCode(encoding: "https://vigil.example/c/LYON-7K2Q")
        // A 7×7 finder (dark ring, light ring, 3×3 dark centre) inside a one-module light border;
        // outside the symbol counts as light.
        func hasFinder(left: Int, top: Int) -> Bool {
            (-1...7).allSatisfy { dy in
                (-1...7).allSatisfy { dx in
                    let ring = max(abs(dx - 3), abs(dy - 3))
                    return code.isDark(x: left + dx, y: top + dy) == (ring != 2 && ring != 4)
                }
            }
        }
        let far = code.size - 7
        #expect(hasFinder(left: 0, top: 0))
        #expect(hasFinder(left: far, top: 0))
        #expect(hasFinder(left: 0, top: far))
        #expect(!hasFinder(left: far, top: far))
    }

    @Test("Timing patterns alternate between the finders, and the dark module is set")
    func timingPatterns() throws {
        let code = try QRCode(encoding: String(repeating: "timing ", count: 30))
        for index in 8..<code.size - 8 {
            #expect(code.isDark(x: index, y: 6) == (index % 2 == 0))
            #expect(code.isDark(x: 6, y: index) == (index % 2 == 0))
        }
        #expect(code.isDark(x: 8, y: code.size - 8))
    }

    @Test("Both copies of the format information agree and name the requested level", arguments: [
        (QRCode.ErrorCorrection.low, 0b01), (.medium, 0b00), (.quartile, 0b11), (.high, 0b10),
    ])
    func formatInSymbol(correction: QRCode.ErrorCorrection, indicator: Int) throws {
        let code = try QRCode(encoding: "https://vigil.example/c/LYON-7K2Q", correction: correction)
        let size = code.size
        let nearFinder: [(Int, Int)] =
            (0..<6).map { (8, $0) } + [(8, 7), (8, 8), (7, 8)] + (9..<15).map { (14 - $0, 8) }
        let split: [(Int, Int)] = (0..<8).map { (size - 1 - $0, 8) } + (8..<15).map { (8, size - 15 + $0) }
        func read(_ positions: [(Int, Int)]) -> Int {
            positions.enumerated().reduce(0) { bits, entry in
                bits | (code.isDark(x: entry.element.0, y: entry.element.1) ? 1 << entry.offset : 0)
            }
        }
        let bits = read(nearFinder)
        #expect(read(split) == bits)
        let mask = (bits ^ 0x5412) >> 10 & 0b111
        #expect((bits ^ 0x5412) >> 13 == indicator)
        #expect(QRCode.formatBits(correction: correction, mask: mask) == bits)
    }

    @Test("Symbols from version 7 carry both copies of the version information")
    func versionInSymbol() throws {
        let code = try QRCode(encoding: String(repeating: "v", count: 130))
        #expect(code.version == 8)
        var topRight = 0
        var bottomLeft = 0
        for index in 0..<18 {
            let (across, along) = (code.size - 11 + index % 3, index / 3)
            topRight |= code.isDark(x: across, y: along) ? 1 << index : 0
            bottomLeft |= code.isDark(x: along, y: across) ? 1 << index : 0
        }
        #expect(topRight == QRCode.versionBits(version: 8))
        #expect(bottomLeft == QRCode.versionBits(version: 8))
    }

    @Test("The data area has the standard's module count for each version checked")
    func dataModules() {
        // Total codewords × 8 plus remainder bits, from the standard's table 1.
        #expect(QRCode.dataModuleCount(version: 1) == 26 * 8)
        #expect(QRCode.dataModuleCount(version: 2) == 44 * 8 + 7)
        #expect(QRCode.dataModuleCount(version: 7) == 196 * 8)
        #expect(QRCode.dataModuleCount(version: 14) == 581 * 8 + 3)
        #expect(QRCode.dataModuleCount(version: 21) == 1156 * 8 + 4)
        #expect(QRCode.dataModuleCount(version: 40) == 3706 * 8)
    }

    @Test("Encoding is deterministic and different texts give different symbols")
    func equality() throws {
        #expect(try QRCode(encoding: "https://vigil.example/c/A") == QRCode(encoding: "https://vigil.example/c/A"))
        #expect(try QRCode(encoding: "https://vigil.example/c/A") != QRCode(encoding: "https://vigil.example/c/B"))
    }
}

@Suite("QR code SVG")
struct QRCodeSVGTests {
    @Test("The SVG is well-formed XML whose path draws exactly the dark modules, inside a quiet zone")
    func pathMatchesModules() throws {
        let code = try QRCode(encoding: "https://vigil.example/c/LYON-7K2Q")
        let document = try ParsedSVG(code.svg(title: "Scan to sign"))
        let extent = code.size + 8
        #expect(document.root["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(document.root["viewBox"] == "0 0 \(extent) \(extent)")
        #expect(document.root["width"] == "\(extent * 8)")
        #expect(document.root["height"] == "\(extent * 8)")
        #expect(document.root["role"] == "img")
        #expect(document.root["shape-rendering"] == "crispEdges")
        #expect(document.elements == ["svg", "title", "rect", "path"])
        #expect(document.title == "Scan to sign")

        let painted = try #require(document.pathData).paintedModules()
        var expected: Set<[Int]> = []
        for y in 0..<code.size {
            for x in 0..<code.size where code.isDark(x: x, y: y) { expected.insert([x + 4, y + 4]) }
        }
        #expect(!expected.isEmpty)
        #expect(painted == expected)
    }

    @Test("The title is XML-escaped and control characters XML forbids are dropped")
    func titleEscaped() throws {
        let title = #"Lyon & "Arménie" <committee> 'Ա' "# + "\u{1}"
        let svg = try QRCode(encoding: "x").svg(title: title)
        #expect(svg.contains("<title>Lyon &amp; &quot;Arménie&quot; &lt;committee&gt; &apos;Ա&apos; </title>"))
        #expect(try ParsedSVG(svg).title == #"Lyon & "Arménie" <committee> 'Ա' "#)
    }
}

/// Round trips through real programs: rsvg-convert rasterises the SVG as a browser or printer
/// would, and zbarimg, an independent decoder, reads the PNG back.
@Suite("QR code decoding", .enabled(if: QRDecoder.isAvailable, QRDecoder.unavailableReason))
struct QRCodeDecodingTests {
    @Test("A referral URL decodes at every error-correction level", arguments: [
        QRCode.ErrorCorrection.low, .medium, .quartile, .high,
    ])
    func referralURL(correction: QRCode.ErrorCorrection) throws {
        let url = "https://vigil.example/c/LYON-7K2Q"
        #expect(try QRDecoder.decode(QRCode(encoding: url, correction: correction)) == url)
    }

    @Test("A 100-character URL decodes")
    func longURL() throws {
        let url = "https://vigil.example/petitions/moscow-mechanism-armenian-prisoners/sign?committee=LYON-7K2Q&lang=fr"
        #expect(url.utf8.count == 100)
        #expect(try QRDecoder.decode(QRCode(encoding: url)) == url)
    }

    // zbarimg guesses the character set of byte-mode data that has no ECI header, and for
    // short or mostly Latin text it guesses Shift-JIS: "é" came back as "矇", "Ա" as "埜" and
    // "naïve café" as "na簿ve caf矇". With the UTF-8 designator the encoder adds, all read back.
    @Test("Armenian, Cyrillic and accented UTF-8 text decodes unchanged", arguments: [
        "Ազատություն հայ գերիներին — Свободу армянским пленным", "Ա", "é", "naïve café",
    ])
    func nonASCII(text: String) throws {
        #expect(try QRDecoder.decode(QRCode(encoding: text)) == text)
    }

    @Test("A symbol large enough to carry version information decodes")
    func withVersionInformation() throws {
        let text = String(repeating: "https://vigil.example/c/LYON-7K2Q ", count: 12)
        let code = try QRCode(encoding: text, correction: .quartile)
        #expect(code.version >= 7)
        #expect(try QRDecoder.decode(code) == text)
    }

    /// One version from each alignment-pattern group, both sides of the switch to 16-bit
    /// character counts (9 and 10), version 32's irregular alignment spacing, and the largest
    /// symbols, taking the levels in turn. All 160 version–level pairs pass as well, but take
    /// about a minute on two cores, so the suite keeps this sample.
    @Test("Text filling a version to capacity decodes", arguments: [
        (1, .low), (2, .medium), (5, .quartile), (7, .high), (9, .medium), (10, .low), (14, .quartile),
        (21, .high), (27, .medium), (28, .low), (32, .quartile), (35, .high), (40, .low), (40, .high),
    ] as [(Int, QRCode.ErrorCorrection)])
    func fullSymbol(version: Int, correction: QRCode.ErrorCorrection) throws {
        let length = QRCode.byteCapacity(version: version, correction: correction, designatingUTF8: false)
        let text = String((0..<length).map { Character(UnicodeScalar(UInt8(0x21 + $0 * 7 % 94))) })
        let code = try QRCode(encoding: text, correction: correction)
        #expect(code.version == version)
        #expect(try QRDecoder.decode(code) == text)
    }
}

/// ISO/IEC 18004 table 7: bytes per symbol in byte mode at L, M, Q and H, versions 1…40,
/// four versions a line.
private let publishedByteCapacities: [[Int]] = [
    [17, 14, 11, 7], [32, 26, 20, 14], [53, 42, 32, 24], [78, 62, 46, 34],
    [106, 84, 60, 44], [134, 106, 74, 58], [154, 122, 86, 64], [192, 152, 108, 84],
    [230, 180, 130, 98], [271, 213, 151, 119], [321, 251, 177, 137], [367, 287, 203, 155],
    [425, 331, 241, 177], [458, 362, 258, 194], [520, 412, 292, 220], [586, 450, 322, 250],
    [644, 504, 364, 280], [718, 560, 394, 310], [792, 624, 442, 338], [858, 666, 482, 382],
    [929, 711, 509, 403], [1003, 779, 565, 439], [1091, 857, 611, 461], [1171, 911, 661, 511],
    [1273, 997, 715, 535], [1367, 1059, 751, 593], [1465, 1125, 805, 625], [1528, 1190, 868, 658],
    [1628, 1264, 908, 698], [1732, 1370, 982, 742], [1840, 1452, 1030, 790], [1952, 1538, 1112, 842],
    [2068, 1628, 1168, 898], [2188, 1722, 1228, 958], [2303, 1809, 1283, 983], [2431, 1911, 1351, 1051],
    [2563, 1989, 1423, 1093], [2699, 2099, 1499, 1139], [2809, 2213, 1579, 1219], [2953, 2331, 1663, 1273],
]

/// The parts of an SVG document the tests look at, read with Foundation's XML parser so that a
/// malformed document fails the test.
private final class ParsedSVG: NSObject, XMLParserDelegate {
    private(set) var root: [String: String] = [:]
    private(set) var elements: [String] = []
    private(set) var title = ""
    private(set) var pathData: String?
    private var inTitle = false

    init(_ svg: String) throws {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        guard parser.parse() else {
            throw parser.parserError ?? CocoaError(.fileReadCorruptFile)
        }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String]) {
        if elements.isEmpty { root = attributes }
        if name == "path" { pathData = attributes["d"] }
        inTitle = name == "title"
        elements.append(name)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        inTitle = false
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inTitle { title += string }
    }
}

extension String {
    /// The modules painted by path data made only of `M{x} {y}h{n}v1h-{n}z` runs; anything else
    /// in the data fails the test.
    fileprivate func paintedModules() throws -> Set<[Int]> {
        let run = /M(\d+) (\d+)h(\d+)v1h-(\d+)z/
        var painted: Set<[Int]> = []
        var rest = Substring(self)
        while !rest.isEmpty {
            let match = try #require(rest.prefixMatch(of: run), "unexpected path data at \(rest.prefix(20))")
            let (x, y, width) = (Int(match.1)!, Int(match.2)!, Int(match.3)!)
            #expect(Int(match.4) == width)
            for column in x..<x + width { painted.insert([column, y]) }
            rest = rest[match.range.upperBound...]
        }
        return painted
    }
}

extension QRDecoder {
    /// The text zbarimg reads from the symbol's SVG rendered at its default size.
    static func decode(_ code: QRCode) throws -> String {
        try decode(svg: code.svg(title: "test"))
    }
}
