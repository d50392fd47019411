import VigilCore
import VigilStore

/// The committees, held in memory: the referral link and the sign form look a committee up by
/// its code on every request, and the petition page lists the league, so none of them reads
/// the database for it.
///
/// Committees change rarely and only through the console: the process that changes one
/// reloads at once, and every other instance reloads on the content watcher's next round.
final class CommitteeDirectory: Sendable {
    private struct Loaded {
        var committees: [Committee] = []
        var byCode: [CommitteeCode: Committee] = [:]
        /// The slug of each committee's petition, for its referral link.
        var petitionSlugs: [Int64: String] = [:]
        /// Grows with every reload that changed something, so cached pages that show
        /// committees render again.
        var version: Int64 = 0
    }

    private let store: Store
    private let loaded = Locked(Loaded())

    init(store: Store) {
        self.store = store
    }

    /// Reads the committees again.
    func reload() async throws {
        let committees = try await store.committees()
        guard committees != all else { return }
        var slugs: [Int64: String] = [:]
        for petitionID in Set(committees.map(\.petitionID)) {
            slugs[petitionID] = try await store.petition(id: petitionID)?.slug
        }
        loaded.withLock { loaded in
            loaded = Loaded(
                committees: committees,
                byCode: Dictionary(committees.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first }),
                petitionSlugs: slugs,
                version: loaded.version + 1
            )
        }
    }

    var version: Int64 { loaded.withLock { $0.version } }

    /// Every committee, by name.
    var all: [Committee] { loaded.withLock { $0.committees } }

    /// The committee with this code, as typed in a link or sent by the sign form.
    func committee(code typed: String) -> Committee? {
        guard let code = CommitteeCode(typed) else { return nil }
        return loaded.withLock { $0.byCode[code] }
    }

    /// The slug of the petition a committee's referral link opens.
    func petitionSlug(of committee: Committee) -> String? {
        loaded.withLock { $0.petitionSlugs[committee.petitionID] }
    }

    /// The committee with this id.
    func committee(id: Int64) -> Committee? {
        loaded.withLock { $0.committees.first { $0.id == id } }
    }

    /// The committees of a petition that agreed to be shown in public, most signatures first.
    func league(petitionID: Int64, counts: PetitionCounts) -> [(committee: Committee, signatures: Int)] {
        all.filter { $0.petitionID == petitionID && $0.details.shownInLeague }
            .map { ($0, counts.byCommittee[$0.id] ?? 0) }
            .sorted { ($0.signatures, $1.committee.details.name) > ($1.signatures, $0.committee.details.name) }
    }
}
