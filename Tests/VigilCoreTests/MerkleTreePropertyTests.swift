import PropertyBased
import Testing
import VigilCore

/// Inclusion and consistency proofs over trees of random size, checked both ways: every honest
/// proof verifies, and any proof, leaf or root altered in one byte is refused.
@Suite("Merkle proofs, as properties")
struct MerkleTreePropertyTests {
    /// Distinct leaves for a tree of `size`: the leaf hash of the salt and the position.
    static func leaves(_ size: Int, salt: UInt64) -> [MerkleHash] {
        (0..<size).map { position in MerkleTree.leafHash(Array("\(salt) \(position)".utf8)) }
    }

    /// The hash with one byte changed.
    static func altered(_ hash: MerkleHash, byte: Int, mask: UInt8) -> MerkleHash {
        var bytes = hash.bytes
        bytes[byte % bytes.count] ^= mask
        return MerkleHash(bytes: bytes) ?? hash
    }

    static let size = Gen.int(in: 1...300)
    static let pick = Gen.int(in: 0...Int.max)
    static let mask = Gen.uint8(in: 1...255)

    @Test("every leaf's audit path verifies, and matches the one built from stored subtrees")
    func inclusionVerifies() async {
        await propertyCheck(input: Self.size, Self.pick, Gen.uint64()) { size, pick, salt in
            let hashes = Self.leaves(size, salt: salt)
            let root = MerkleTree.root(ofLeafHashes: hashes[...])
            var builder = MerkleTreeBuilder()
            var stored: [MerkleTree.Node: MerkleHash] = [:]
            for hash in hashes {
                for (node, value) in builder.append(leafHash: hash) { stored[node] = value }
            }
            #expect(builder.root == root)

            let index = UInt64(pick % size)
            let proof = try MerkleTree.inclusionProof(index: index, leafHashes: hashes)
            try MerkleTree.verifyInclusion(index: index, size: UInt64(size), leafHash: hashes[Int(index)], proof: proof, root: root)
            // The same proof from the complete subtrees the builder reported, as the store makes it.
            let fromNodes = try MerkleTree.inclusionPathRanges(index: index, size: UInt64(size)).map { range in
                MerkleTree.combine(MerkleTree.perfectNodes(from: range.lowerBound, to: range.upperBound).compactMap { stored[$0] })
            }
            #expect(fromNodes == proof)

            // Continuing from the stored right edge gives the same tree as building anew.
            let half = pick % (size + 1)
            var resumed = try MerkleTreeBuilder(
                size: UInt64(half), edgeHashes: MerkleTree.perfectNodes(from: 0, to: UInt64(half)).compactMap { stored[$0] }
            )
            for hash in hashes[half...] { resumed.append(leafHash: hash) }
            #expect(resumed.root == root)
        }
    }

    @Test("an audit path with a byte changed, for another leaf or at another index is refused")
    func inclusionRefusesTampering() async {
        await propertyCheck(input: Self.size, Self.pick, Self.pick, Self.mask) { size, pick, other, mask in
            let hashes = Self.leaves(size, salt: UInt64(size))
            let root = MerkleTree.root(ofLeafHashes: hashes[...])
            let index = UInt64(pick % size)
            let leaf = hashes[Int(index)]
            let proof = try MerkleTree.inclusionProof(index: index, leafHashes: hashes)
            func refused(index: UInt64 = index, leaf: MerkleHash = leaf, proof: [MerkleHash] = proof, root: MerkleHash = root) -> Bool {
                (try? MerkleTree.verifyInclusion(index: index, size: UInt64(size), leafHash: leaf, proof: proof, root: root)) == nil
            }
            if !proof.isEmpty {
                var changed = proof
                let position = other % proof.count
                changed[position] = Self.altered(changed[position], byte: other / proof.count, mask: mask)
                #expect(refused(proof: changed), "hash \(position) of the path changed")
            }
            #expect(refused(leaf: Self.altered(leaf, byte: other, mask: mask)))
            #expect(refused(root: Self.altered(root, byte: other, mask: mask)))
            let otherIndex = UInt64(other % size)
            if otherIndex != index {
                #expect(refused(index: otherIndex), "leaf \(index)'s path at index \(otherIndex)")
                #expect(refused(leaf: hashes[Int(otherIndex)]), "leaf \(otherIndex) with leaf \(index)'s path")
            }
            #expect(refused(index: UInt64(size)), "an index past the end")
        }
    }

    @Test("a tree is consistent with every earlier size of itself")
    func consistencyVerifies() async {
        await propertyCheck(input: Self.size, Self.pick, Gen.uint64()) { size, pick, salt in
            let hashes = Self.leaves(size, salt: salt)
            let first = UInt64(pick % (size + 1))
            let firstRoot = MerkleTree.root(ofLeafHashes: hashes[0..<Int(first)])
            let root = MerkleTree.root(ofLeafHashes: hashes[...])
            let proof = try MerkleTree.consistencyProof(from: first, leafHashes: hashes)
            try MerkleTree.verifyConsistency(first: first, second: UInt64(size), firstRoot: firstRoot, secondRoot: root, proof: proof)
            // Every tree is consistent with the whole of itself.
            try MerkleTree.verifyConsistency(first: UInt64(size), second: UInt64(size), firstRoot: root, secondRoot: root, proof: [])
        }
    }

    @Test("a consistency proof with a byte changed, a changed root or rewritten history is refused")
    func consistencyRefusesTampering() async {
        await propertyCheck(input: Gen.int(in: 2...300), Self.pick, Self.pick, Self.mask) { size, pick, other, mask in
            let hashes = Self.leaves(size, salt: UInt64(size))
            let first = UInt64(1 + pick % (size - 1))
            let firstRoot = MerkleTree.root(ofLeafHashes: hashes[0..<Int(first)])
            let root = MerkleTree.root(ofLeafHashes: hashes[...])
            let proof = try MerkleTree.consistencyProof(from: first, leafHashes: hashes)
            func refused(firstRoot: MerkleHash = firstRoot, secondRoot: MerkleHash = root, proof: [MerkleHash] = proof) -> Bool {
                (try? MerkleTree.verifyConsistency(
                    first: first, second: UInt64(size), firstRoot: firstRoot, secondRoot: secondRoot, proof: proof
                )) == nil
            }
            var changed = proof
            let position = other % proof.count
            changed[position] = Self.altered(changed[position], byte: other / proof.count, mask: mask)
            #expect(refused(proof: changed), "hash \(position) of the proof changed")
            #expect(refused(firstRoot: Self.altered(firstRoot, byte: other, mask: mask)))
            #expect(refused(secondRoot: Self.altered(root, byte: other, mask: mask)))
            #expect(refused(proof: proof + [root]), "a hash too many")
            #expect(refused(proof: Array(proof.dropLast())), "a hash too few")

            // A log that rewrote an entry before `first` and proves consistency with its new tree is caught.
            var rewritten = hashes
            rewritten[other % Int(first)] = Self.altered(rewritten[other % Int(first)], byte: 0, mask: mask)
            let rewrittenProof = try MerkleTree.consistencyProof(from: first, leafHashes: rewritten)
            #expect(refused(secondRoot: MerkleTree.root(ofLeafHashes: rewritten[...]), proof: rewrittenProof))
        }
    }
}
