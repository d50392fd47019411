import Crypto
import Foundation
import Testing
import VigilCore

@Suite("Proof of work")
struct ProofOfWorkTests {
    let key = SymmetricKey(size: .bits256)
    let issued = Date(timeIntervalSince1970: 1_800_000_000)

    func issuer(bits: Int = 8, key: SymmetricKey? = nil) -> ProofOfWork {
        ProofOfWork(key: key ?? self.key, bits: bits, random: SystemRandomSource())
    }

    /// The first counter whose hash has at least `bits` leading zero bits, or, with `failing`,
    /// the first that has fewer.
    static func counter(for challenge: String, bits: Int, failing: Bool = false) -> String {
        var counter = 0
        while (ProofOfWork.leadingZeroBits(of: challenge, counter: String(counter)) >= bits) == failing {
            counter += 1
        }
        return String(counter)
    }

    @Test("a solved challenge is valid once, and its hash has the bits asked for")
    func validOnce() {
        let work = issuer(bits: 10)
        let challenge = work.challenge(at: issued)
        #expect(challenge.hasPrefix("10.1800000000."))
        let counter = Self.counter(for: challenge, bits: 10)
        #expect(ProofOfWork.leadingZeroBits(of: challenge, counter: counter) >= 10)
        #expect(work.verify(challenge: challenge, counter: counter, now: issued.addingTimeInterval(5)) == .valid)
        #expect(work.verify(challenge: challenge, counter: counter, now: issued.addingTimeInterval(6)) == .reused)
        let other = work.challenge(at: issued)
        #expect(other != challenge, "every challenge has its own nonce")
        #expect(work.verify(challenge: other, counter: Self.counter(for: other, bits: 10), now: issued) == .valid)
    }

    @Test("a counter whose hash has too few zero bits is refused, and does not use the challenge up")
    func wrongCounter() {
        let work = issuer()
        let challenge = work.challenge(at: issued)
        #expect(work.verify(challenge: challenge, counter: Self.counter(for: challenge, bits: 8, failing: true), now: issued) == .wrongAnswer)
        #expect(work.verify(challenge: challenge, counter: Self.counter(for: challenge, bits: 8), now: issued) == .valid)
    }

    @Test("a challenge altered in any part, or issued under another key, is refused as forged")
    func tampered() throws {
        let work = issuer()
        let challenge = work.challenge(at: issued)
        var parts = challenge.split(separator: ".").map(String.init)
        let mac = parts[3]
        let flipped = (mac.first == "A" ? "B" : "A") + mac.dropFirst()
        let altered = [
            [parts[0], parts[1], parts[2], flipped],
            [parts[0], String(Int64(parts[1])! + 60), parts[2], mac],
            [parts[0], parts[1], "A" + parts[2].dropFirst(), mac],
        ].map { $0.joined(separator: ".") }
        for forged in altered where forged != challenge {
            #expect(work.verify(challenge: forged, counter: Self.counter(for: forged, bits: 8), now: issued) == .forged, "\(forged)")
        }
        // A lower difficulty written into the challenge would make it cheap: the MAC covers it.
        parts[0] = "1"
        let easier = parts.joined(separator: ".")
        #expect(work.verify(challenge: easier, counter: Self.counter(for: easier, bits: 1), now: issued) == .forged)
        let elsewhere = issuer(key: SymmetricKey(size: .bits256)).challenge(at: issued)
        #expect(work.verify(challenge: elsewhere, counter: Self.counter(for: elsewhere, bits: 8), now: issued) == .forged)
    }

    @Test("a challenge older than its lifetime, or from the future, is refused")
    func expired() {
        let work = issuer()
        let challenge = work.challenge(at: issued)
        let counter = Self.counter(for: challenge, bits: 8)
        #expect(work.verify(challenge: challenge, counter: counter, now: issued.addingTimeInterval(20 * 60 + 1)) == .expired)
        #expect(work.verify(challenge: challenge, counter: counter, now: issued.addingTimeInterval(-120)) == .expired)
        #expect(work.verify(challenge: challenge, counter: counter, now: issued.addingTimeInterval(20 * 60)) == .valid)
    }

    @Test("a challenge issued at fewer bits than now required is refused, even solved")
    func tooFewBits() {
        let easy = issuer(bits: 4)
        let hard = issuer(bits: 8)
        let challenge = easy.challenge(at: issued)
        let counter = Self.counter(for: challenge, bits: 4, failing: false)
        #expect(easy.verify(challenge: challenge, counter: counter, now: issued) == .valid)
        #expect(hard.verify(challenge: challenge, counter: counter, now: issued) == .tooEasy)
        #expect(issuer(bits: 0).bits == 1 && issuer(bits: 99).bits == 32, "difficulties are kept within what a phone can do")
    }

    @Test("nothing sent is missing; anything else that is not a challenge and a counter is malformed")
    func missingAndMalformed() {
        let work = issuer()
        let challenge = work.challenge(at: issued)
        #expect(work.verify(challenge: "", counter: "", now: issued) == .missing)
        #expect(work.verify(challenge: challenge, counter: "", now: issued) == .missing)
        #expect(work.verify(challenge: "", counter: "12", now: issued) == .missing)
        for (bad, counter) in [("8.1.2", "1"), ("x.1800000000.AAAA.AAAA", "1"), ("99.1800000000.AAAA.AAAA", "1"), (challenge, "-1"), (challenge, "1e3"), (challenge, String(repeating: "1", count: 30))] {
            #expect(work.verify(challenge: bad, counter: counter, now: issued) == .malformed, "\(bad) \(counter)")
        }
    }

    @Test("leading zero bits are counted across bytes, from the most significant bit")
    func leadingBits() {
        // Counters for "seed" whose SHA-256 starts with exactly 0…16 zero bits, found with Python's hashlib.
        let known = [1, 0, 8, 16, 7, 82, 73, 388, 497, 293, 1456, 8161, 4621, 11093, 7023, 20611, 285591]
        for (bits, counter) in known.enumerated() {
            #expect(ProofOfWork.leadingZeroBits(of: "seed", counter: String(counter)) == bits, "counter \(counter)")
        }
    }
}
