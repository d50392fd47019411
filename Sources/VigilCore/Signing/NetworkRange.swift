import Foundation

/// The network a signature came from: the /24 of an IPv4 address or the /48 of an IPv6 one.
///
/// Vigil never stores a signer's address. It keeps a keyed hash of this range for a few days,
/// long enough for staff to set aside a flood that came from one network, and no more precise
/// than that: a /24 or a /48 is an office, a provider's pool or a campus, not a person.
public struct NetworkRange: Sendable, Hashable, CustomStringConvertible {
    /// The range in its one canonical spelling, such as `203.0.113.0/24` or `2001:db8:1::/48`.
    public let description: String

    /// The prefix length kept for IPv4 addresses.
    public static let ipv4PrefixLength = 24
    /// The prefix length kept for IPv6 addresses.
    public static let ipv6PrefixLength = 48

    /// Why a text is not a range Vigil can match.
    public enum Problem: Error, Sendable, Equatable {
        /// Not an IPv4 or IPv6 address.
        case notAnAddress
        /// A range of another size than the one Vigil keeps.
        case unsupportedPrefix(Int)
    }

    /// The range of one address, as a client's socket or proxy reports it.
    public init?(address text: String) {
        guard let range = try? Self.parse(text, allowingPrefix: false) else { return nil }
        self = range
    }

    /// The wider range rate limits count together: the /24 of an IPv4 address, the /56 of an
    /// IPv6 one (what a provider usually gives one customer).
    public init?(limitingAddress text: String) {
        guard let range = try? Self.parse(text, allowingPrefix: false, ipv6PrefixLength: 56) else { return nil }
        self = range
    }

    /// The range staff typed: an address, or a range of exactly the kept size
    /// (`203.0.113.0/24`, `2001:db8:1::/48`).
    public init(parsing text: String) throws(Problem) {
        self = try Self.parse(text.trimmingCharacters(in: .whitespaces), allowingPrefix: true)
    }

    private init(canonical: String) {
        description = canonical
    }

    private static func parse(_ text: String, allowingPrefix: Bool, ipv6PrefixLength: Int = ipv6PrefixLength) throws(Problem) -> NetworkRange {
        var address = Substring(text)
        var prefix: Int?
        if let slash = text.firstIndex(of: "/") {
            guard allowingPrefix, let length = Int(text[text.index(after: slash)...]) else { throw .notAnAddress }
            address = text[..<slash]
            prefix = length
        }
        if let octets = ipv4(address) {
            if let prefix, prefix != ipv4PrefixLength { throw .unsupportedPrefix(prefix) }
            return NetworkRange(canonical: "\(octets[0]).\(octets[1]).\(octets[2]).0/\(ipv4PrefixLength)")
        }
        if let groups = ipv6(address) {
            if let prefix, prefix != ipv6PrefixLength { throw .unsupportedPrefix(prefix) }
            let kept = groups.prefix((ipv6PrefixLength + 15) / 16).enumerated().map { index, group in
                let bits = min(16, ipv6PrefixLength - 16 * index)
                return String(group & ~(UInt16.max >> bits), radix: 16)
            }
            return NetworkRange(canonical: "\(kept.joined(separator: ":"))::/\(ipv6PrefixLength)")
        }
        throw .notAnAddress
    }

    /// Four decimal octets, each 0–255 without a leading zero.
    private static func ipv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                  part.count == 1 || part.first != "0", let value = UInt8(part)
            else { return nil }
            octets.append(value)
        }
        return octets
    }

    /// Eight 16-bit groups, with `::` for a run of zeros and an optional dotted IPv4 ending.
    private static func ipv6(_ text: Substring) -> [UInt16]? {
        // A zone (fe80::1%eth0) names an interface, not part of the address.
        let text = text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false).first ?? text
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, last: Bool) -> [UInt16]? {
            guard !part.isEmpty else { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (position, piece) in pieces.enumerated() {
                if last, position == pieces.count - 1, piece.contains("."), let octets = ipv4(piece) {
                    result.append(UInt16(octets[0]) << 8 | UInt16(octets[1]))
                    result.append(UInt16(octets[2]) << 8 | UInt16(octets[3]))
                } else {
                    guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        if halves.count == 1 {
            guard let all = groups(halves[0], last: true), all.count == 8 else { return nil }
            return all
        }
        guard let head = groups(halves[0], last: false), let tail = groups(halves[1], last: true),
              head.count + tail.count <= 7
        else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }
}
