import Foundation

/// A change to signatures that already count, written by the signature writer with a
/// revocation or reinstatement entry in the tally log and the counters changed to match.
public enum SignatureRevision: Sendable, Equatable {
    /// The signer takes their signature back.
    case withdraw(signatureID: Int64)
    /// Staff find these signatures invalid, for a reason kept with them (not in the log);
    /// `batch` names the invalidation batch they belong to, so it can be undone as one.
    case invalidate(signatureIDs: [Int64], reason: String, batch: Int64? = nil)
    /// Staff count again signatures they had invalidated.
    case undoInvalidation(signatureIDs: [Int64])

    /// The longest reason staff may give for an invalidation.
    public static let maximumReasonLength = 500

    /// Refuses a revision that could never be carried out, before it is queued.
    func checked() throws(StoreError) -> SignatureRevision {
        switch self {
        case .withdraw:
            return self
        case .invalidate(let ids, let reason, let batch):
            let trimmed = try Self.checked(reason: reason)
            try Self.check(ids)
            return .invalidate(signatureIDs: ids, reason: trimmed, batch: batch)
        case .undoInvalidation(let ids):
            try Self.check(ids)
            return self
        }
    }

    /// An invalidation's reason, trimmed, or why it cannot be one.
    static func checked(reason: String) throws(StoreError) -> String {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidRequest("give a reason for the invalidation") }
        guard trimmed.count <= maximumReasonLength else {
            throw .invalidRequest("the reason is longer than \(maximumReasonLength) characters")
        }
        return trimmed
    }

    private static func check(_ ids: [Int64]) throws(StoreError) {
        guard !ids.isEmpty else { throw .invalidRequest("name at least one signature") }
        guard Set(ids).count == ids.count else { throw .invalidRequest("a signature is named more than once") }
    }

    /// Every signature the revision names.
    var signatureIDs: [Int64] {
        switch self {
        case .withdraw(let id): [id]
        case .invalidate(let ids, _, _), .undoInvalidation(let ids): ids
        }
    }
}

/// What a revision did.
public enum RevisionOutcome: Sendable, Equatable {
    /// Done: this many entries were appended to the tally log.
    case revised(entries: Int)
    /// A withdrawal named a signature that does not count (pending, held, already withdrawn or
    /// invalidated); nothing changed.
    case notCounted
}
