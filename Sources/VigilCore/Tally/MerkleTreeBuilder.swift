/// Builds a Merkle tree one leaf at a time while keeping only the right edge (one complete
/// subtree per set bit of the size), so the root of a million leaves needs a few kilobytes.
///
/// Each append reports the complete subtrees it finished, which the store keeps so that proofs
/// need a handful of reads instead of the whole log.
public struct MerkleTreeBuilder: Sendable {
    /// The complete subtrees on the right edge, largest first.
    public private(set) var edge: [(node: MerkleTree.Node, hash: MerkleHash)]
    /// The number of leaves appended so far.
    public private(set) var size: UInt64

    /// An empty tree.
    public init() {
        edge = []
        size = 0
    }

    /// Continues a tree of `size` leaves from the hashes of ``MerkleTree/perfectNodes(from:to:)``
    /// of `0..<size`, in that order.
    public init(size: UInt64, edgeHashes: [MerkleHash]) throws(MerkleTree.Problem) {
        let nodes = MerkleTree.perfectNodes(from: 0, to: size)
        guard nodes.count == edgeHashes.count else {
            throw .mismatch("a tree of \(size) leaves has \(nodes.count) edge subtrees, not \(edgeHashes.count)")
        }
        edge = Array(zip(nodes, edgeHashes))
        self.size = size
    }

    /// Appends a leaf and returns every complete subtree this finished: the leaf itself first,
    /// then each parent up the edge.
    @discardableResult
    public mutating func append(leafHash: MerkleHash) -> [(node: MerkleTree.Node, hash: MerkleHash)] {
        var finished = [(node: MerkleTree.Node(level: 0, index: size), hash: leafHash)]
        edge.append(finished[0])
        size += 1
        while edge.count >= 2, edge[edge.count - 1].node.level == edge[edge.count - 2].node.level {
            let right = edge.removeLast()
            let left = edge.removeLast()
            let parent = (
                node: MerkleTree.Node(level: left.node.level + 1, index: left.node.index / 2),
                hash: MerkleTree.nodeHash(left.hash, right.hash)
            )
            edge.append(parent)
            finished.append(parent)
        }
        return finished
    }

    /// The root of the leaves appended so far.
    public var root: MerkleHash { MerkleTree.combine(edge.map(\.hash)) }
}
