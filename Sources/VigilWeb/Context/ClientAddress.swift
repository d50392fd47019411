import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The client's network address, and the key its signing limit is counted under.
struct ClientAddress: Sendable, Equatable {
    /// The address as text, or `nil` when it is not known (no socket, as in some tests).
    let text: String?

    /// Reads the address from the socket, or from the proxy's `X-Forwarded-For` when Vigil
    /// runs behind one. Only the last entry is used: the one the proxy itself added.
    init(request: Request, context: VigilRequestContext, behindProxy: Bool) {
        if behindProxy, let name = Self.forwardedFor,
           let header = request.headers[values: name].last,
           let last = header.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
           !last.isEmpty {
            text = last
        } else {
            text = context.remoteAddress?.ipAddress
        }
    }

    private static let forwardedFor = HTTPField.Name("X-Forwarded-For")

    /// The key for rate limits: an IPv4 address, or the /64 an IPv6 address belongs to,
    /// since one household or phone usually holds a whole /64.
    var limitKey: String {
        guard let text else { return "unknown" }
        guard text.contains(":") else { return text }
        var groups = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if let gap = groups.firstIndex(of: ""), groups.count < 8 {
            let filled = Array(repeating: "0", count: 8 - groups.count + 1)
            groups.replaceSubrange(gap...gap, with: filled)
        }
        return groups.prefix(4).map { $0.isEmpty ? "0" : $0.lowercased() }.joined(separator: ":") + "::/64"
    }
}
