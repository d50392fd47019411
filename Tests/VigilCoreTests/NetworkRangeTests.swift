import Testing
import VigilCore

@Suite("Network ranges")
struct NetworkRangeTests {
    @Test("an address belongs to its /24 or /48, spelled one way", arguments: [
        ("203.0.113.57", "203.0.113.0/24"),
        ("203.0.113.0/24", "203.0.113.0/24"),
        ("10.0.0.1", "10.0.0.0/24"),
        ("2001:db8:1:2::1", "2001:db8:1::/48"),
        ("2001:0DB8:0001:ffff:0:0:0:1", "2001:db8:1::/48"),
        ("2001:db8:1::/48", "2001:db8:1::/48"),
        ("::ffff:192.0.2.1", "0:0:0::/48"),
        ("fe80::1%eth0", "fe80:0:0::/48"),
        ("::", "0:0:0::/48"),
    ])
    func canonical(text: String, expected: String) throws {
        #expect(try NetworkRange(parsing: text).description == expected)
    }

    @Test("anything else is refused, naming why", arguments: [
        ("203.0.113", NetworkRange.Problem.notAnAddress),
        ("203.0.113.256", .notAnAddress),
        ("203.0.113.07", .notAnAddress),
        ("example.org", .notAnAddress),
        ("2001:db8::1::2", .notAnAddress),
        ("2001:db8:1:2:3:4:5:6:7", .notAnAddress),
        ("12345::1", .notAnAddress),
        ("", .notAnAddress),
        ("203.0.113.0/16", .unsupportedPrefix(16)),
        ("2001:db8::/32", .unsupportedPrefix(32)),
        ("203.0.113.0/x", .notAnAddress),
    ])
    func refused(text: String, problem: NetworkRange.Problem) {
        #expect(throws: problem) { try NetworkRange(parsing: text) }
    }

    @Test("a client's address never carries a prefix")
    func clientAddress() {
        #expect(NetworkRange(address: "198.51.100.9")?.description == "198.51.100.0/24")
        #expect(NetworkRange(address: "198.51.100.0/24") == nil)
        #expect(NetworkRange(address: "unknown") == nil)
    }

    @Test("an e-mail's domain, and a domain as staff type it, are spelled alike")
    func domains() throws {
        #expect(try EmailAddress("Ani@Example.ORG").domain == "example.org")
        #expect(EmailAddress.domain(typed: " @Example.org ") == "example.org")
        #expect(EmailAddress.domain(typed: "not a domain") == nil)
    }
}

@Suite("Rate-limited ranges and disposable domains")
struct SigningGuardDataTests {
    @Test("rate limits count an IPv4 /24 and an IPv6 /56 together")
    func limitingRanges() {
        #expect(NetworkRange(limitingAddress: "203.0.113.9")?.description == "203.0.113.0/24")
        #expect(NetworkRange(limitingAddress: "2001:db8:1:abcd::1")?.description == "2001:db8:1:ab00::/56")
        #expect(NetworkRange(limitingAddress: "2001:db8:1:ab12::1") == NetworkRange(limitingAddress: "2001:db8:1:abff::9"))
    }

    @Test("a domain is disposable when it or a domain above it is listed; comments and blanks are skipped")
    func disposableDomains() {
        let list = DisposableDomains(list: "# a comment\nmailinator.com\n\n  Throwaway.Example  # trailing\n")
        #expect(list.count == 2)
        #expect(list.contains(domain: "mailinator.com"))
        #expect(list.contains(domain: "eu.mailinator.com"))
        #expect(list.contains(domain: "throwaway.example"))
        #expect(!list.contains(domain: "example.org"))
        #expect(!list.contains(domain: "com"))
        #expect(!list.contains(domain: "notmailinator.com"))
    }
}
