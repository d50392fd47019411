import Crypto
import Foundation
import Testing
import VigilCore

@Suite("Countries")
struct CountryTests {
    @Test("every ISO 3166-1 country is known, and only those")
    func isoList() {
        #expect(Country.all.count == 249)
        #expect(Country(code: "am")?.code == "AM")
        #expect(Country(code: "XK") == nil)
        #expect(Country(code: "EU") == nil)
        #expect(Country(code: "") == nil)
    }

    @Test("names come in the page's language")
    func names() throws {
        let armenia = try #require(Country(code: "AM"))
        #expect(armenia.name(in: .english) == "Armenia")
        #expect(armenia.name(in: .armenian) == "Հայաստան")
        #expect(armenia.name(in: .russian) == "Армения")
        #expect(armenia.name(in: .french) == "Arménie")
    }
}

@Suite("Petition progress")
struct PetitionProgressTests {
    let tally = ExternalTally(sourceName: "elsewhere", sourceURL: nil, count: 3807, countedOn: nil, recordedOn: Date(), note: nil)

    @Test("external tallies count toward the goal beside signatures confirmed here")
    func total() {
        let progress = PetitionProgress(goal: 5500, confirmedHere: 12, externalTallies: [tally])
        #expect(progress.total == 3819)
        #expect(progress.collectedElsewhere == 3807)
        #expect(progress.remaining == 1681)
        #expect(progress.percentOfGoal == 69)
    }

    @Test("the bar stops at the goal")
    func capped() {
        let progress = PetitionProgress(goal: 100, confirmedHere: 250, externalTallies: [])
        #expect(progress.fractionOfGoal == 1)
        #expect(progress.percentOfGoal == 100)
        #expect(progress.remaining == 0)
    }
}

@Suite("Tokens and sealing")
struct PrivacyTests {
    @Test("a confirmation token has 240 random bits after its time, and only its hash is kept")
    func token() throws {
        let issued = Date(timeIntervalSince1970: 1_796_000_000.5)
        let token = ConfirmationToken(random: SystemRandomSource(), issuedAt: issued)
        let bytes = try #require(Base64URL.decode(token.text))
        #expect(bytes.count == 36)
        #expect(bytes.prefix(6).hexString == "0" + String(1_796_000_000_500, radix: 16))
        #expect(token.hash == bytes.prefix(6).hexString + SHA256.hash(data: Data(token.text.utf8)).hexString)
        #expect(!token.hash.contains(token.text))
        #expect(ConfirmationToken(link: token.text) == token)
        #expect(ConfirmationToken(link: token.text)?.hash == token.hash)
        #expect(ConfirmationToken(link: "short") == nil)
        #expect(ConfirmationToken(link: token.text + "!") == nil)
        #expect(ConfirmationToken(link: Base64URL.encode(Array(repeating: 7, count: 35))) == nil)
        #expect(ConfirmationToken(random: SystemRandomSource(), issuedAt: issued) != token)
    }

    @Test("stored token hashes sort in the order the tokens were issued")
    func tokenOrder() {
        let start = Date(timeIntervalSince1970: 1_796_000_000)
        let hashes = (0..<50).map { step in
            ConfirmationToken(random: SystemRandomSource(), issuedAt: start.addingTimeInterval(Double(step) * 0.001)).hash
        }
        #expect(hashes == hashes.sorted())
        #expect(Set(hashes).count == 50)
    }

    @Test("a link of the earlier, all-random form is still read and looked up by its plain hash")
    func earlierToken() throws {
        let text = Base64URL.encode(SystemRandomSource().bytes(32))
        let token = try #require(ConfirmationToken(link: text))
        #expect(token.hash == SHA256.hash(data: Data(text.utf8)).hexString)
    }

    @Test("sealed data opens with the same key only, and any change is detected")
    func sealing() throws {
        let cipher = PersonalDataCipher(masterKey: Array(repeating: 1, count: 32))
        let sealed = try cipher.seal(Array("Zabel Yesayan".utf8))
        #expect(try cipher.open(sealed) == Array("Zabel Yesayan".utf8))
        #expect(throws: PersonalDataCipher.Problem.cannotOpen) {
            try PersonalDataCipher(masterKey: Array(repeating: 2, count: 32)).open(sealed)
        }
        var tampered = sealed
        tampered[tampered.count / 2] ^= 1
        #expect(throws: PersonalDataCipher.Problem.cannotOpen) { try cipher.open(tampered) }
        // The same plaintext seals differently each time: no equality leaks.
        #expect(try cipher.seal(Array("x".utf8)) != cipher.seal(Array("x".utf8)))
    }

    @Test("the blind index is stable per key and differs between keys")
    func blindIndex() {
        let one = PersonalDataCipher(masterKey: Array(repeating: 1, count: 32))
        let two = PersonalDataCipher(masterKey: Array(repeating: 2, count: 32))
        #expect(one.blindIndex(ofNormalisedEmail: "a@example.org") == one.blindIndex(ofNormalisedEmail: "a@example.org"))
        #expect(one.blindIndex(ofNormalisedEmail: "a@example.org") != one.blindIndex(ofNormalisedEmail: "b@example.org"))
        #expect(one.blindIndex(ofNormalisedEmail: "a@example.org") != two.blindIndex(ofNormalisedEmail: "a@example.org"))
    }

    @Test("the text hash changes with any word of the petition")
    func textHash() {
        var text = PetitionText(
            language: .english, title: "T", summary: "S", addressees: ["A"], action: ["Act"],
            background: ["B"], explainerTitle: "E", explainer: ["X"], sources: []
        )
        let first = text.versionHash
        #expect(first == text.versionHash)
        text.action = ["Act."]
        #expect(text.versionHash != first)
    }
}

@Suite("Languages and messages")
struct LanguageTests {
    @Test("Accept-Language picks the best offered language")
    func acceptLanguage() {
        let offered: [Language] = [.english, .french, .russian]
        #expect(Language.preferred(fromAcceptLanguage: "fr-CA,fr;q=0.9,en;q=0.8", offered: offered) == .french)
        #expect(Language.preferred(fromAcceptLanguage: "hy, ru;q=0.5", offered: offered) == .russian)
        #expect(Language.preferred(fromAcceptLanguage: "de", offered: offered) == nil)
        #expect(Language.preferred(fromAcceptLanguage: "en;q=0.2, ru;q=0.8", offered: offered) == .russian)
        #expect(Language.preferred(fromAcceptLanguage: "ru;q=0", offered: offered) == nil)
    }

    @Test("plural categories follow CLDR", arguments: [
        (1, Language.english, PluralCategory.one), (2, .english, .other), (0, .english, .other),
        (0, .french, .one), (1, .french, .one), (2, .french, .other),
        (1, .russian, .one), (21, .russian, .one), (11, .russian, .many), (3, .russian, .few),
        (14, .russian, .many), (22, .russian, .few), (5, .russian, .many), (1, .armenian, .one), (7, .armenian, .other),
    ])
    func plurals(count: Int, language: Language, expected: PluralCategory) {
        #expect(PluralCategory(count, in: language) == expected)
    }

    @Test("catalogue texts fill placeholders, count in the right form and fall back to English")
    func catalogue() {
        let catalogue = MessageCatalogue(texts: [
            .english: ["hello": "Hello {name}", "signatures.one": "{count} signature", "signatures.other": "{count} signatures"],
            .russian: ["signatures.one": "{count} подпись", "signatures.few": "{count} подписи", "signatures.many": "{count} подписей"],
        ])
        #expect(catalogue.text("hello", in: .english, ["name": "Ani"]) == "Hello Ani")
        #expect(catalogue.text("hello", in: .russian, ["name": "Ani"]) == "Hello Ani")
        #expect(catalogue.text("signatures", count: 3807, in: .english) == "3,807 signatures")
        #expect(catalogue.text("signatures", count: 1, in: .english) == "1 signature")
        #expect(catalogue.text("signatures", count: 22, in: .russian) == "22 подписи")
        #expect(catalogue.text("signatures", count: 3807, in: .russian) == "3\u{a0}807 подписей")
        #expect(catalogue.text("missing", in: .french) == "missing")
    }
}

@Suite("Rate limiter")
struct RateLimiterTests {
    final class Clock: Sendable {
        let start = ContinuousClock.now
        let offset = Locked<Duration>(.zero)
        var now: ContinuousClock.Instant { start + offset.withLock { $0 } }
    }

    @Test("a burst is allowed, then refused, then refilled over the period, per key")
    func bucket() {
        let clock = Clock()
        let limiter = RateLimiter(capacity: 5, period: .seconds(60), now: { clock.now })
        for _ in 0..<5 { #expect(limiter.allow("10.0.0.1")) }
        #expect(!limiter.allow("10.0.0.1"))
        #expect(limiter.allow("10.0.0.2"))
        clock.offset.withLock { $0 += .seconds(12) }
        #expect(limiter.allow("10.0.0.1"))
        #expect(!limiter.allow("10.0.0.1"))
    }

    @Test("capacity 0 turns the limit off")
    func disabled() {
        let limiter = RateLimiter(capacity: 0, period: .seconds(60))
        #expect((0..<100).allSatisfy { _ in limiter.allow("x") })
    }
}

@Suite("Locks")
struct LockTests {
    @Test("Locked keeps every update under heavy contention")
    func contention() async {
        let counter = Locked(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<50_000 { counter.withLock { $0 += 1 } }
                }
            }
        }
        #expect(counter.withLock { $0 } == 400_000)
    }

    @Test("no source file uses Synchronization's Mutex, which hangs on some Linux kernels")
    func noSynchronizationMutex() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let usesMutex = text.contains("Mutex<") || text.contains("Mutex(")
            #expect(!usesMutex, "\(file.lastPathComponent) uses Synchronization.Mutex")
        }
    }
}

@Suite("Pace toward the goal")
struct PetitionPaceTests {
    @Test("the pace averages the last seven days, today included, and quiet days count as zero")
    func pace() {
        let today: Int64 = 20_000
        let pace = PetitionPace(byDay: [today: 30, today - 3: 40, today - 6: 0, today - 7: 1_000], today: today)
        #expect(pace.perDay == 10)
        #expect(PetitionPace(byDay: [today + 1: 70], today: today).perDay == 0)
    }

    @Test("the goal falls on the day the remaining signatures run out at that pace, rounded up")
    func dayGoalReached() {
        let today: Int64 = 20_000
        let pace = PetitionPace(byDay: [today: 70], today: today)
        #expect(pace.dayGoalReached(total: 3_808, goal: 5_500, today: today) == today + 170)
        #expect(pace.dayGoalReached(total: 5_500, goal: 5_500, today: today) == today)
        #expect(pace.dayGoalReached(total: 6_000, goal: 5_500, today: today) == today)
        #expect(PetitionPace(byDay: [:], today: today).dayGoalReached(total: 1, goal: 5_500, today: today) == nil)
        // One signature a week: 5,499 weeks is not a date worth showing.
        #expect(PetitionPace(byDay: [today: 1], today: today).dayGoalReached(total: 1, goal: 5_500, today: today) == nil)
    }
}
