/// The checks behind "your signature is counted": the same on the `/verify` page and in
/// `vigil verify receipt`, so both say the same thing.
public struct ReceiptCheck: Sendable, Equatable {
    /// The tree head carries a valid signature of the log key.
    public let headSigned: Bool
    /// The leaf lies inside the tree the head describes.
    public let leafInTree: Bool
    /// The audit path leads from the leaf to the head's root.
    public let included: Bool
    /// The entry published at the leaf hashes to the leaf hash; `nil` when no entry was given.
    public let entryMatchesLeaf: Bool?
    /// The entry's commitment is SHA-256(nonce ‖ e-mail ‖ petition); `nil` when the nonce or
    /// the e-mail was not given.
    public let commitmentMatches: Bool?

    /// Whether every check that was made passed.
    public var passed: Bool {
        headSigned && leafInTree && included && entryMatchesLeaf != false && commitmentMatches != false
    }

    /// Runs every check that the given material allows.
    public init(
        leafHash: MerkleHash,
        leafIndex: UInt64,
        proof: [MerkleHash],
        head: SignedTreeHead,
        key: TallyLogPublicKey,
        entry: [UInt8]? = nil,
        nonce: [UInt8]? = nil,
        normalisedEmail: String? = nil,
        petitionID: Int64? = nil
    ) {
        headSigned = head.isSigned(by: key)
        leafInTree = leafIndex < head.head.size
        included = (try? MerkleTree.verifyInclusion(
            index: leafIndex, size: head.head.size, leafHash: leafHash, proof: proof, root: head.head.root
        )) != nil
        entryMatchesLeaf = entry.map { MerkleTree.leafHash($0) == leafHash }
        if let entry, let nonce, let normalisedEmail, let petitionID {
            if case .addition(let addition) = try? TallyEntry(bytes: entry) {
                commitmentMatches = addition.commitment
                    == TallyEntry.commitment(nonce: nonce, normalisedEmail: normalisedEmail, petitionID: petitionID)
            } else {
                commitmentMatches = false
            }
        } else {
            commitmentMatches = nil
        }
    }
}
