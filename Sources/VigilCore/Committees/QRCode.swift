/// A QR code symbol (ISO/IEC 18004, Model 2) holding one string, ready to print.
///
/// Committees print these on posters so that passers-by can open a referral URL. Only byte
/// mode is produced: every reader supports it and it holds any text, so the encoder stays
/// small enough to check against the standard line by line.
public struct QRCode: Sendable, Equatable {
    /// How much of a symbol may be damaged or dirty and still read: about 7 %, 15 %, 25 % or 30 %
    /// of its codewords. Higher levels need larger symbols for the same text.
    public enum ErrorCorrection: Sendable {
        case low, medium, quartile, high
    }

    /// Why a string could not be encoded.
    public enum Failure: Error, Equatable {
        /// The text takes `bytes` bytes in UTF-8, but the largest symbol (version 40) holds
        /// only `maximum` at the requested error-correction level (one less for text that is not
        /// ASCII, which spends some room on declaring UTF-8).
        case tooLong(bytes: Int, maximum: Int)
    }

    /// The symbol version, 1…40; version *v* is 17 + 4*v* modules per side.
    public let version: Int
    /// Modules per side, not counting the quiet zone.
    public let size: Int
    /// Row-major, `true` for a dark module.
    private let modules: [Bool]

    /// Encodes the UTF-8 bytes of `text` in the smallest version that holds them at `correction`.
    ///
    /// Text that is not plain ASCII is preceded by the ECI designator for UTF-8, because readers
    /// that follow the standard otherwise take byte-mode data as ISO-8859-1. ASCII text, such as
    /// a URL, goes without it: it reads the same either way and stays as small as possible.
    /// - Throws: `Failure.tooLong` when even a version-40 symbol cannot hold the text.
    public init(encoding text: String, correction: ErrorCorrection = .medium) throws {
        let bytes = Array(text.utf8)
        let designatingUTF8 = Self.needsUTF8Designator(bytes)
        func capacity(_ version: Int) -> Int {
            Self.byteCapacity(version: version, correction: correction, designatingUTF8: designatingUTF8)
        }
        guard let version = (1...40).first(where: { capacity($0) >= bytes.count }) else {
            throw Failure.tooLong(bytes: bytes.count, maximum: capacity(40))
        }
        var grid = Grid(version: version)
        grid.place(Self.codewords(for: bytes, version: version, correction: correction))
        self.version = version
        self.size = grid.size
        self.modules = Self.bestMasked(grid, correction: correction).dark
    }

    /// Whether the module in column `x`, row `y` is dark; (0, 0) is the top-left corner.
    /// Coordinates outside the symbol are light, as the quiet zone around it is.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    /// A standalone SVG document of the symbol, with a four-module quiet zone and `title` as its
    /// accessible name. It is drawn as one path of horizontal runs to keep posters' files small,
    /// and is 8 pixels a module by default, so that tools rasterising it produce a readable image.
    public func svg(title: String) -> String {
        let quietZone = 4
        let extent = size + 2 * quietZone
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                let start = x
                while isDark(x: x, y: y) { x += 1 }
                if x > start {
                    path += "M\(start + quietZone) \(y + quietZone)h\(x - start)v1h-\(x - start)z"
                } else {
                    x += 1
                }
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(extent) \(extent)" \
            width="\(extent * 8)" height="\(extent * 8)" role="img" shape-rendering="crispEdges">\
            <title>\(Self.xmlEscaped(title))</title>\
            <rect width="\(extent)" height="\(extent)" fill="#fff"/>\
            <path fill="#000" d="\(path)"/></svg>
            """
    }

    /// Escapes XML's special characters and drops the control characters XML 1.0 forbids,
    /// so that any title yields a well-formed document.
    private static func xmlEscaped(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

// MARK: - Data and error correction

extension QRCode {
    /// ISO/IEC 18004 table 9: for each version, the error-correction codewords per block and the
    /// number of blocks, at levels L, M, Q and H; two versions a line.
    private static let blockTable: [[(ecPerBlock: Int, blocks: Int)]] = [
        [(7, 1), (10, 1), (13, 1), (17, 1)], [(10, 1), (16, 1), (22, 1), (28, 1)], // 1, 2
        [(15, 1), (26, 1), (18, 2), (22, 2)], [(20, 1), (18, 2), (26, 2), (16, 4)], // 3, 4
        [(26, 1), (24, 2), (18, 4), (22, 4)], [(18, 2), (16, 4), (24, 4), (28, 4)], // 5, 6
        [(20, 2), (18, 4), (18, 6), (26, 5)], [(24, 2), (22, 4), (22, 6), (26, 6)], // 7, 8
        [(30, 2), (22, 5), (20, 8), (24, 8)], [(18, 4), (26, 5), (24, 8), (28, 8)], // 9, 10
        [(20, 4), (30, 5), (28, 8), (24, 11)], [(24, 4), (22, 8), (26, 10), (28, 11)], // 11, 12
        [(26, 4), (22, 9), (24, 12), (22, 16)], [(30, 4), (24, 9), (20, 16), (24, 16)], // 13, 14
        [(22, 6), (24, 10), (30, 12), (24, 18)], [(24, 6), (28, 10), (24, 17), (30, 16)], // 15, 16
        [(28, 6), (28, 11), (28, 16), (28, 19)], [(30, 6), (26, 13), (28, 18), (28, 21)], // 17, 18
        [(28, 7), (26, 14), (26, 21), (26, 25)], [(28, 8), (26, 16), (30, 20), (28, 25)], // 19, 20
        [(28, 8), (26, 17), (28, 23), (30, 25)], [(28, 9), (28, 17), (30, 23), (24, 34)], // 21, 22
        [(30, 9), (28, 18), (30, 25), (30, 30)], [(30, 10), (28, 20), (30, 27), (30, 32)], // 23, 24
        [(26, 12), (28, 21), (30, 29), (30, 35)], [(28, 12), (28, 23), (28, 34), (30, 37)], // 25, 26
        [(30, 12), (28, 25), (30, 34), (30, 40)], [(30, 13), (28, 26), (30, 35), (30, 42)], // 27, 28
        [(30, 14), (28, 28), (30, 38), (30, 45)], [(30, 15), (28, 29), (30, 40), (30, 48)], // 29, 30
        [(30, 16), (28, 31), (30, 43), (30, 51)], [(30, 17), (28, 33), (30, 45), (30, 54)], // 31, 32
        [(30, 18), (28, 35), (30, 48), (30, 57)], [(30, 19), (28, 37), (30, 51), (30, 60)], // 33, 34
        [(30, 19), (28, 38), (30, 53), (30, 63)], [(30, 20), (28, 40), (30, 56), (30, 66)], // 35, 36
        [(30, 21), (28, 43), (30, 59), (30, 70)], [(30, 22), (28, 45), (30, 62), (30, 74)], // 37, 38
        [(30, 24), (28, 47), (30, 65), (30, 77)], [(30, 25), (28, 49), (30, 68), (30, 81)], // 39, 40
    ]

    /// How many modules of a version carry codeword bits: all but the function patterns and the
    /// format and version information. (The standard's table 1 gives it as codewords × 8 plus
    /// remainder bits.)
    static func dataModuleCount(version: Int) -> Int {
        var count = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignmentsPerSide = version / 7 + 2
            count -= (25 * alignmentsPerSide - 10) * alignmentsPerSide - 55
        }
        if version >= 7 { count -= 36 }
        return count
    }

    private static func block(version: Int, correction: ErrorCorrection) -> (ecPerBlock: Int, blocks: Int) {
        blockTable[version - 1][correction.tableIndex]
    }

    private static func dataCodewordCount(version: Int, correction: ErrorCorrection) -> Int {
        let block = block(version: version, correction: correction)
        return dataModuleCount(version: version) / 8 - block.ecPerBlock * block.blocks
    }

    /// The UTF-8 ECI designator is only spent on text that needs it; see `init(encoding:correction:)`.
    private static func needsUTF8Designator(_ bytes: [UInt8]) -> Bool {
        bytes.contains { $0 >= 0x80 }
    }

    /// The byte-mode character count takes 8 bits up to version 9 and 16 bits above.
    private static func countBits(version: Int) -> Int {
        version <= 9 ? 8 : 16
    }

    /// How many bytes a version holds at a level, with or without the UTF-8 designator before them.
    static func byteCapacity(version: Int, correction: ErrorCorrection, designatingUTF8: Bool) -> Int {
        let headerBits = (designatingUTF8 ? 12 : 0) + 4 + countBits(version: version)
        return (dataCodewordCount(version: version, correction: correction) * 8 - headerBits) / 8
    }

    /// The data codewords: an optional ECI header, the byte-mode segment, a terminator and the
    /// standard's alternating pad codewords up to the version's capacity.
    static func dataCodewords(for bytes: [UInt8], version: Int, correction: ErrorCorrection) -> [UInt8] {
        let capacity = dataCodewordCount(version: version, correction: correction)
        var bits: [Bool] = []
        func append(_ value: Int, count: Int) {
            bits += (0..<count).reversed().map { value >> $0 & 1 == 1 }
        }
        if needsUTF8Designator(bytes) {
            append(0b0111, count: 4) // ECI mode
            append(26, count: 8) // ECI 000026 is UTF-8
        }
        append(0b0100, count: 4) // byte mode
        append(bytes.count, count: countBits(version: version))
        for byte in bytes { append(Int(byte), count: 8) }
        append(0, count: min(4, capacity * 8 - bits.count)) // terminator, shortened when full
        append(0, count: (8 - bits.count % 8) % 8)
        let data = stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
        return data + (0..<capacity - data.count).map { $0 % 2 == 0 ? 0xEC : 0x11 }
    }

    /// Splits the data into the version's blocks, appends each block's Reed–Solomon codewords,
    /// and interleaves them codeword by codeword, so that a smudge spreads over many blocks.
    private static func codewords(for bytes: [UInt8], version: Int, correction: ErrorCorrection) -> [UInt8] {
        let data = dataCodewords(for: bytes, version: version, correction: correction)
        let (ecPerBlock, blockCount) = block(version: version, correction: correction)
        let total = dataModuleCount(version: version) / 8
        // Blocks differ by at most one data codeword, and the shorter ones come first.
        let shortBlocks = blockCount - total % blockCount
        let shortLength = total / blockCount - ecPerBlock
        var blocks: [[UInt8]] = []
        var start = 0
        for index in 0..<blockCount {
            let length = shortLength + (index < shortBlocks ? 0 : 1)
            blocks.append(Array(data[start..<start + length]))
            start += length
        }
        let corrections = blocks.map { errorCorrectionCodewords(for: $0, count: ecPerBlock) }
        var result: [UInt8] = []
        for position in 0...shortLength {
            for block in blocks where position < block.count { result.append(block[position]) }
        }
        for position in 0..<ecPerBlock {
            for correction in corrections { result.append(correction[position]) }
        }
        return result
    }

    /// The Reed–Solomon codewords of one block: the remainder of data(x)·x^count divided by the
    /// generator (x − α⁰)(x − α¹)…(x − α^(count−1)) over GF(256), highest power first.
    static func errorCorrectionCodewords(for data: [UInt8], count: Int) -> [UInt8] {
        var generator: [UInt8] = [1]
        var root: UInt8 = 1
        for _ in 0..<count {
            // Multiplying by (x − root): the shift is the x term; subtraction is XOR in GF(2⁸).
            var product = generator + [0]
            for (index, coefficient) in generator.enumerated() {
                product[index + 1] ^= galoisProduct(coefficient, root)
            }
            generator = product
            root = galoisProduct(root, 2)
        }
        var remainder = [UInt8](repeating: 0, count: count)
        for codeword in data {
            let factor = codeword ^ remainder.removeFirst()
            remainder.append(0)
            for index in 0..<count {
                remainder[index] ^= galoisProduct(generator[index + 1], factor)
            }
        }
        return remainder
    }

    /// A product in GF(2⁸) modulo x⁸ + x⁴ + x³ + x² + 1 (0x11D), by shifting and adding.
    private static func galoisProduct(_ left: UInt8, _ right: UInt8) -> UInt8 {
        var product = 0
        var multiple = Int(left)
        var remaining = right
        while remaining != 0 {
            if remaining & 1 == 1 { product ^= multiple }
            multiple <<= 1
            if multiple & 0x100 != 0 { multiple ^= 0x11D }
            remaining >>= 1
        }
        return UInt8(product)
    }

    /// The 15 format bits: level and mask, their BCH(15,5) check bits, and the standard's XOR
    /// mask 0x5412, which keeps the bits from ever being all light.
    static func formatBits(correction: ErrorCorrection, mask: Int) -> Int {
        let data = correction.formatIndicator << 3 | mask
        return (data << 10 | bchRemainder(data, generator: 0x537)) ^ 0x5412
    }

    /// The 18 version bits for versions 7 and up: the version and its BCH(18,6) check bits.
    static func versionBits(version: Int) -> Int {
        version << 12 | bchRemainder(version, generator: 0x1F25)
    }

    /// The remainder of value(x)·x^degree divided by the generator over GF(2), where degree is
    /// the generator's.
    private static func bchRemainder(_ value: Int, generator: Int) -> Int {
        let degree = Int.bitWidth - generator.leadingZeroBitCount - 1
        var remainder = value << degree
        while remainder >> degree != 0 {
            let shift = Int.bitWidth - remainder.leadingZeroBitCount - 1 - degree
            remainder ^= generator << shift
        }
        return remainder
    }

    /// The centre coordinates of alignment patterns along each axis: evenly spaced from the
    /// far edge back towards 6 (version 32's spacing is the standard's one exception).
    static func alignmentCentres(version: Int) -> [Int] {
        guard version >= 2 else { return [] }
        let count = version / 7 + 2
        let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        let last = version * 4 + 10
        return [6] + (0..<count - 1).reversed().map { last - $0 * step }
    }

    /// Of the eight masks, applies the one whose result scores the lowest ISO penalty.
    private static func bestMasked(_ grid: Grid, correction: ErrorCorrection) -> Grid {
        func masked(_ mask: Int) -> (penalty: Int, grid: Grid) {
            var candidate = grid
            candidate.applyMask(mask)
            candidate.drawFormatBits(formatBits(correction: correction, mask: mask))
            return (candidate.penalty(), candidate)
        }
        var best = masked(0)
        for mask in 1..<8 {
            let candidate = masked(mask)
            if candidate.penalty < best.penalty { best = candidate }
        }
        return best.grid
    }
}

extension QRCode.ErrorCorrection {
    /// The column of the block table.
    fileprivate var tableIndex: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .quartile: 2
        case .high: 3
        }
    }

    /// The two bits the format information uses, which the standard does not assign in order.
    fileprivate var formatIndicator: Int {
        [0b01, 0b00, 0b11, 0b10][tableIndex]
    }
}

// MARK: - Module placement

/// The modules of a symbol under construction, and which of them belong to function patterns,
/// which data placement and masking must leave alone.
private struct Grid {
    let size: Int
    private(set) var dark: [Bool]
    private var reserved: [Bool]

    /// A grid with every function pattern drawn and the format areas reserved.
    init(version: Int) {
        size = 17 + 4 * version
        dark = Array(repeating: false, count: size * size)
        reserved = dark
        for index in 0..<size {
            setFunction(x: 6, y: index, dark: index % 2 == 0)
            setFunction(x: index, y: 6, dark: index % 2 == 0)
        }
        let centres = QRCode.alignmentCentres(version: version)
        for x in centres {
            for y in centres where !isUnderFinder(x: x, y: y) {
                drawSquares(centreX: x, centreY: y, radius: 2) { $0 != 1 }
            }
        }
        // Finders go on last so they overwrite the timing patterns' ends; radius 4 includes
        // the light separator around each.
        for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            drawSquares(centreX: x, centreY: y, radius: 4) { $0 != 2 && $0 != 4 }
        }
        drawFormatBits(0)
        if version >= 7 {
            let bits = QRCode.versionBits(version: version)
            for index in 0..<18 {
                let (across, along) = (size - 11 + index % 3, index / 3)
                setFunction(x: across, y: along, dark: bits >> index & 1 == 1)
                setFunction(x: along, y: across, dark: bits >> index & 1 == 1)
            }
        }
    }

    /// Alignment positions at three corners would fall on the finders, so they get none.
    private func isUnderFinder(x: Int, y: Int) -> Bool {
        let far = size - 7
        return (x == 6 || x == far) && (y == 6 || y == far) && !(x == far && y == far)
    }

    /// Concentric squares around a centre; `isDark` gets each ring's distance from the centre.
    private mutating func drawSquares(centreX: Int, centreY: Int, radius: Int, isDark: (Int) -> Bool) {
        for dy in -radius...radius {
            for dx in -radius...radius {
                let (x, y) = (centreX + dx, centreY + dy)
                guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                setFunction(x: x, y: y, dark: isDark(max(abs(dx), abs(dy))))
            }
        }
    }

    private mutating func setFunction(x: Int, y: Int, dark isDark: Bool) {
        dark[y * size + x] = isDark
        reserved[y * size + x] = true
    }

    /// Writes both copies of the format information, plus the dark module that sits beside the
    /// lower copy in every symbol.
    mutating func drawFormatBits(_ bits: Int) {
        for index in 0..<15 {
            let isDark = bits >> index & 1 == 1
            // Beside the top-left finder: down column 8, stepping over the timing row, then left along row 8.
            let nearFinder = switch index {
            case 0..<6: (8, index)
            case 6..<8: (8, index + 1)
            case 8: (7, 8)
            default: (14 - index, 8)
            }
            setFunction(x: nearFinder.0, y: nearFinder.1, dark: isDark)
            // Split between the other finders: left along row 8 from the right edge, then down column 8.
            let split = index < 8 ? (size - 1 - index, 8) : (8, size - 15 + index)
            setFunction(x: split.0, y: split.1, dark: isDark)
        }
        setFunction(x: 8, y: size - 8, dark: true)
    }

    /// Places the codewords' bits, most significant first, in two-module-wide columns from the
    /// right edge, zigzagging up and down and skipping function modules. The vertical timing
    /// pattern in column 6 is stepped over; the few remainder modules left at the end get 0 bits.
    mutating func place(_ codewords: [UInt8]) {
        var bitIndex = 0
        var upward = true
        for right in Array(stride(from: size - 1, to: 6, by: -2)) + [5, 3, 1] {
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !reserved[y * size + x] {
                    if bitIndex < codewords.count * 8 {
                        dark[y * size + x] = codewords[bitIndex / 8] >> (7 - bitIndex % 8) & 1 == 1
                    }
                    bitIndex += 1
                }
            }
            upward.toggle()
        }
    }

    /// Inverts the data modules where the mask's condition holds (x is the column, y the row).
    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !reserved[y * size + x] {
                let inverts = switch mask {
                case 0: (x + y) % 2 == 0
                case 1: y % 2 == 0
                case 2: x % 3 == 0
                case 3: (x + y) % 3 == 0
                case 4: (y / 2 + x / 3) % 2 == 0
                case 5: x * y % 2 + x * y % 3 == 0
                case 6: (x * y % 2 + x * y % 3) % 2 == 0
                default: ((x + y) % 2 + x * y % 3) % 2 == 0
                }
                if inverts { dark[y * size + x].toggle() }
            }
        }
    }

    /// The ISO/IEC 18004 penalty: N1 for runs of five or more same-coloured modules in a line,
    /// N2 for 2×2 blocks of one colour, N3 for patterns a reader could mistake for a finder,
    /// N4 for a dark proportion far from half.
    func penalty() -> Int {
        var score = 0
        for index in 0..<size {
            let row = (0..<size).map { dark[index * size + $0] }
            let column = (0..<size).map { dark[$0 * size + index] }
            score += Self.runPenalty(row) + Self.runPenalty(column)
            score += Self.finderLikePenalty(row) + Self.finderLikePenalty(column)
        }
        for y in 0..<size - 1 {
            for x in 0..<size - 1 {
                let corner = y * size + x
                let colour = dark[corner]
                if dark[corner + 1] == colour, dark[corner + size] == colour, dark[corner + size + 1] == colour {
                    score += 3
                }
            }
        }
        let darkCount = dark.filter { $0 }.count
        // 10 points for each full 5 % step away from half dark.
        score += abs(darkCount * 20 - dark.count * 10) / dark.count * 10
        return score
    }

    /// N1: 3 points for a run of five, one more for each module beyond.
    private static func runPenalty(_ line: [Bool]) -> Int {
        var score = 0
        var runLength = 1
        for index in 1..<line.count {
            runLength = line[index] == line[index - 1] ? runLength + 1 : 1
            if runLength == 5 { score += 3 } else if runLength > 5 { score += 1 }
        }
        return score
    }

    /// N3: 40 points for each dark-light-dark-dark-dark-light-dark (1:1:3:1:1) run with four
    /// light modules before or after it; the quiet zone beyond the edges counts as light.
    private static func finderLikePenalty(_ line: [Bool]) -> Int {
        var score = 0
        // The last 11 modules, newest in the lowest bit; starting from 0 puts the quiet zone
        // before the line, and the four extra steps run into the quiet zone after it.
        var window = 0
        for index in 0..<line.count + 4 {
            let isDark = index < line.count && line[index]
            window = (window << 1 | (isDark ? 1 : 0)) & 0b111_1111_1111
            if window == 0b000_0101_1101 || window == 0b101_1101_0000 { score += 40 }
        }
        return score
    }
}
