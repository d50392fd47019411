import Foundation
import Testing
import VigilCore
@testable import VigilStore

@Suite("Message-IDs")
struct MessageIDTests {
    @Test("a Message-ID is the queueing time in twelve hex digits and 128 random bits: later ones sort after, none repeat")
    func timeThenRandom() {
        let random = SystemRandomSource()
        let first = QueuedMail.messageID(queuedAt: 1_790_000_000_000, random: random)
        #expect(first.count == 44)
        #expect(first.hasPrefix("01a0c4506c00"), "1,790,000,000,000 ms is 0x1a0c4506c00")
        #expect(first.allSatisfy { $0.isHexDigit })
        let sameMoment = (0..<1000).map { _ in QueuedMail.messageID(queuedAt: 1_790_000_000_000, random: random) }
        #expect(Set(sameMoment + [first]).count == 1001)
        let later = QueuedMail.messageID(queuedAt: 1_790_000_000_001, random: random)
        #expect(sameMoment.allSatisfy { $0 < later })
        #expect(QueuedMail.messageID(queuedAt: 0, random: random).hasPrefix("000000000000"))
    }
}
