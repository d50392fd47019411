import Foundation

/// E-mail domains that hand out throw-away mailboxes. A signature from one of them is held for
/// staff review rather than refused: the signer sees the usual page, a bot learns nothing.
///
/// The list is a plain text file, one domain per line (`#` starts a comment), so operators can
/// replace it with a newer copy without a new release of Vigil.
public struct DisposableDomains: Sendable {
    private let domains: Set<String>

    /// Reads a list: one domain per line; blank lines and `#` comments are skipped.
    public init(list: String) {
        domains = Set(
            list.split(whereSeparator: \.isNewline)
                .map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "" }
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                .filter { !$0.isEmpty }
        )
    }

    /// How many domains the list holds.
    public var count: Int { domains.count }

    /// Whether an address's domain, or a domain it belongs to, is on the list
    /// (`x.mailinator.com` is as disposable as `mailinator.com`).
    public func contains(domain: String) -> Bool {
        var labels = domain.lowercased().split(separator: ".")
        while labels.count >= 2 {
            if domains.contains(labels.joined(separator: ".")) { return true }
            labels.removeFirst()
        }
        return false
    }
}
