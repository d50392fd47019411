import NIOCore

/// An `application/x-www-form-urlencoded` body, read strictly.
///
/// Unlike a Codable decoder it never throws: a missing field is simply absent, and a field whose
/// bytes are not valid UTF-8 (or whose escapes are broken) is reported by name, so the form can
/// be shown again with a message next to that field and everything else kept.
struct FormBody: Sendable, Equatable {
    /// Field values by name; the first occurrence of a name wins.
    private(set) var values: [String: String] = [:]
    /// Names of fields whose value could not be read as text.
    private(set) var unreadable: Set<String> = []

    init(_ buffer: ByteBuffer) {
        self.init(bytes: buffer.readableBytesView)
    }

    init(bytes: some Collection<UInt8>) {
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawName = parts.first, let name = Self.decode(rawName), !name.isEmpty else { continue }
            guard values[name] == nil, !unreadable.contains(name) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if let value {
                values[name] = value
            } else {
                unreadable.insert(name)
            }
        }
    }

    subscript(name: String) -> String? { values[name] }

    /// Whether a checkbox was ticked: present with any value.
    func isChecked(_ name: String) -> Bool { values[name] != nil }

    /// Percent-decodes one name or value (`+` is a space), or `nil` if it is not UTF-8 text.
    static func decode(_ encoded: some Collection<UInt8>) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index != encoded.endIndex {
            let byte = encoded[index]
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                let first = encoded.index(after: index)
                guard first != encoded.endIndex else { return nil }
                let second = encoded.index(after: first)
                guard second != encoded.endIndex, let high = hexValue(encoded[first]), let low = hexValue(encoded[second]) else {
                    return nil
                }
                bytes.append(high << 4 | low)
                index = second
            default:
                bytes.append(byte)
            }
            index = encoded.index(after: index)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
