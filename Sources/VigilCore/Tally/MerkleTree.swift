import Crypto

/// The Merkle tree of Certificate Transparency (RFC 6962 §2.1, RFC 9162 §2.1): leaf hash
/// SHA-256(0x00 ‖ entry), node hash SHA-256(0x01 ‖ left ‖ right), a tree of n leaves split
/// at the largest power of two below n; inclusion and consistency proofs and their checks.
///
/// Proofs are computed in two steps so that the store can answer them without reading the
/// whole log: ``inclusionPathRanges(index:size:)`` and ``consistencyRanges(from:to:)`` say
/// which ranges of leaves the proof's hashes cover, ``perfectNodes(from:to:)`` splits a range
/// into complete subtrees (which the store keeps), and ``combine(_:)`` folds their hashes.
public enum MerkleTree {
    /// A complete subtree: the 2^`level` leaves starting at leaf `index << level`.
    public struct Node: Sendable, Hashable {
        public let level: Int
        public let index: UInt64

        public init(level: Int, index: UInt64) {
            self.level = level
            self.index = index
        }

        /// The leaves the subtree covers.
        public var leaves: Range<UInt64> { (index << UInt64(level))..<((index + 1) << UInt64(level)) }
    }

    /// Why a proof was refused.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// The leaf or tree sizes asked for do not make a proof (an index past the end, sizes in the wrong order).
        case outOfRange(String)
        /// The proof has the wrong number of hashes or leads to another root.
        case mismatch(String)

        public var description: String {
            switch self {
            case .outOfRange(let detail): "out of range: \(detail)"
            case .mismatch(let detail): "proof does not match: \(detail)"
            }
        }
    }

    /// The root of a tree with no leaves: SHA-256 of nothing.
    public static let emptyRoot = MerkleHash(digest: SHA256.hash(data: [UInt8]()))

    /// SHA-256(0x00 ‖ entry).
    public static func leafHash(_ entry: [UInt8]) -> MerkleHash {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: entry)
        return MerkleHash(digest: hasher.finalize())
    }

    /// SHA-256(0x01 ‖ left ‖ right).
    public static func nodeHash(_ left: MerkleHash, _ right: MerkleHash) -> MerkleHash {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left.bytes)
        hasher.update(data: right.bytes)
        return MerkleHash(digest: hasher.finalize())
    }

    /// The root of the tree over these leaf hashes, straight from the definition. For tests and
    /// small trees; the store and the dossier use complete subtrees or ``MerkleTreeBuilder``.
    public static func root(ofLeafHashes leaves: ArraySlice<MerkleHash>) -> MerkleHash {
        switch leaves.count {
        case 0: return emptyRoot
        case 1: return leaves[leaves.startIndex]
        default:
            let split = leaves.startIndex + Int(largestPowerOfTwo(below: UInt64(leaves.count)))
            return nodeHash(root(ofLeafHashes: leaves[..<split]), root(ofLeafHashes: leaves[split...]))
        }
    }

    /// The largest power of two strictly below `n` (n ≥ 2).
    static func largestPowerOfTwo(below n: UInt64) -> UInt64 {
        UInt64(1) << UInt64(63 - (n - 1).leadingZeroBitCount)
    }

    /// The complete subtrees that make up leaves `start..<end`, left to right, largest first.
    ///
    /// Every range an RFC 6962 tree or proof refers to starts at a multiple of a power of two at
    /// least as large as its own largest part, so its hash is ``combine(_:)`` of these subtrees.
    public static func perfectNodes(from start: UInt64, to end: UInt64) -> [Node] {
        var nodes: [Node] = []
        var position = start
        while position < end {
            var level = 0
            while level < 63 {
                let size = UInt64(1) << UInt64(level + 1)
                guard position % size == 0, end - position >= size else { break }
                level += 1
            }
            nodes.append(Node(level: level, index: position >> UInt64(level)))
            position += UInt64(1) << UInt64(level)
        }
        return nodes
    }

    /// The hash of a range from the hashes of its ``perfectNodes(from:to:)``, folded from the right.
    public static func combine(_ hashes: [MerkleHash]) -> MerkleHash {
        guard var result = hashes.last else { return emptyRoot }
        for hash in hashes.dropLast().reversed() {
            result = nodeHash(hash, result)
        }
        return result
    }

    // MARK: Inclusion

    /// The leaf ranges whose hashes form the audit path of leaf `index` in a tree of `size`
    /// leaves, in the order of the proof (RFC 9162 §2.1.3.1).
    public static func inclusionPathRanges(index: UInt64, size: UInt64) throws(Problem) -> [Range<UInt64>] {
        guard index < size else { throw .outOfRange("leaf \(index) is not in a tree of \(size)") }
        var ranges: [Range<UInt64>] = []
        var low: UInt64 = 0
        var high = size
        // Walk down from the root, collecting the sibling of each subtree holding the leaf.
        while high - low > 1 {
            let split = low + largestPowerOfTwo(below: high - low)
            if index < split {
                ranges.append(split..<high)
                high = split
            } else {
                ranges.append(low..<split)
                low = split
            }
        }
        return ranges.reversed()
    }

    /// The root an audit path leads to from a leaf (RFC 9162 §2.1.3.2).
    public static func rootFromInclusionProof(
        index: UInt64, size: UInt64, leafHash: MerkleHash, proof: [MerkleHash]
    ) throws(Problem) -> MerkleHash {
        guard index < size else { throw .outOfRange("leaf \(index) is not in a tree of \(size)") }
        var fn = index
        var sn = size - 1
        var result = leafHash
        for sibling in proof {
            guard sn != 0 else { throw .mismatch("the audit path is longer than the tree is deep") }
            if fn & 1 == 1 || fn == sn {
                result = nodeHash(sibling, result)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                result = nodeHash(result, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw .mismatch("the audit path is shorter than the tree is deep") }
        return result
    }

    /// Checks that a leaf is in the tree with this root.
    public static func verifyInclusion(
        index: UInt64, size: UInt64, leafHash: MerkleHash, proof: [MerkleHash], root: MerkleHash
    ) throws(Problem) {
        let computed = try rootFromInclusionProof(index: index, size: size, leafHash: leafHash, proof: proof)
        guard computed == root else { throw .mismatch("the audit path leads to \(computed.hex), not to the root \(root.hex)") }
    }

    // MARK: Consistency

    /// The leaf ranges whose hashes prove that the tree of `first` leaves is the beginning of the
    /// tree of `second` leaves, in the order of the proof (RFC 9162 §2.1.4.1). Empty when
    /// `first` is 0 or equals `second`.
    public static func consistencyRanges(from first: UInt64, to second: UInt64) throws(Problem) -> [Range<UInt64>] {
        guard first <= second else { throw .outOfRange("a tree of \(first) cannot grow into one of \(second)") }
        guard first > 0, first < second else { return [] }
        var ranges: [Range<UInt64>] = []
        var m = first
        var low: UInt64 = 0
        var high = second
        var startsAtOldRoot = true
        while true {
            let n = high - low
            if m == n {
                if !startsAtOldRoot { ranges.append(low..<high) }
                break
            }
            let k = largestPowerOfTwo(below: n)
            if m <= k {
                ranges.append((low + k)..<high)
                high = low + k
            } else {
                ranges.append(low..<(low + k))
                m -= k
                low += k
                startsAtOldRoot = false
            }
        }
        return ranges.reversed()
    }

    /// Checks that the tree with `secondRoot` is the tree with `firstRoot` with leaves added at
    /// the end, and nothing before them changed (RFC 9162 §2.1.4.2).
    public static func verifyConsistency(
        first: UInt64, second: UInt64, firstRoot: MerkleHash, secondRoot: MerkleHash, proof: [MerkleHash]
    ) throws(Problem) {
        guard first <= second else { throw .outOfRange("a tree of \(first) cannot grow into one of \(second)") }
        if first == second {
            guard proof.isEmpty else { throw .mismatch("trees of equal size need an empty proof") }
            guard firstRoot == secondRoot else { throw .mismatch("two trees of \(first) leaves have different roots") }
            return
        }
        if first == 0 {
            guard proof.isEmpty else { throw .mismatch("an empty tree needs an empty proof") }
            return
        }
        guard !proof.isEmpty else { throw .mismatch("the proof is empty") }
        var path = proof
        if first & (first - 1) == 0 { path.insert(firstRoot, at: 0) }
        var fn = first - 1
        var sn = second - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var firstResult = path[0]
        var secondResult = path[0]
        for hash in path.dropFirst() {
            guard sn != 0 else { throw .mismatch("the proof is longer than needed") }
            if fn & 1 == 1 || fn == sn {
                firstResult = nodeHash(hash, firstResult)
                secondResult = nodeHash(hash, secondResult)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                secondResult = nodeHash(secondResult, hash)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw .mismatch("the proof is shorter than needed") }
        guard firstResult == firstRoot else { throw .mismatch("the proof does not lead to the first root") }
        guard secondResult == secondRoot else { throw .mismatch("the proof does not lead to the second root") }
    }

    // MARK: Proofs from all leaves

    /// The hash of a range computed from all leaf hashes; for tests and for small logs held in memory.
    public static func hash(of range: Range<UInt64>, leafHashes: [MerkleHash]) -> MerkleHash {
        root(ofLeafHashes: leafHashes[Int(range.lowerBound)..<Int(range.upperBound)])
    }

    /// An audit path computed from all leaf hashes.
    public static func inclusionProof(index: UInt64, leafHashes: [MerkleHash]) throws(Problem) -> [MerkleHash] {
        try inclusionPathRanges(index: index, size: UInt64(leafHashes.count)).map { hash(of: $0, leafHashes: leafHashes) }
    }

    /// A consistency proof computed from all leaf hashes of the larger tree.
    public static func consistencyProof(from first: UInt64, leafHashes: [MerkleHash]) throws(Problem) -> [MerkleHash] {
        try consistencyRanges(from: first, to: UInt64(leafHashes.count)).map { hash(of: $0, leafHashes: leafHashes) }
    }
}
