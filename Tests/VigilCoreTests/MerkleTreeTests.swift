import Foundation
import Testing
@testable import VigilCore

/// Published RFC 6962 test vectors, from Google's Certificate Transparency code as kept in
/// transparency-dev/merkle, `proof/verify_test.go` (the `leaves`, `roots`, `inclusionProofs`
/// and `consistencyProofs` tables; the same figures appear in certificate-transparency-go's
/// merkletree tests). Leaf numbers in those tables count from 1; here indexes count from 0.
enum RFC6962Vectors {
    static let leaves: [[UInt8]] = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ].map { [UInt8](hexadecimal: $0) ?? [] }

    /// Roots of the trees of the first 1…8 leaves.
    static let roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ].compactMap { MerkleHash(hex: $0) }

    /// (leaf index, tree size, audit path).
    static let inclusion: [(UInt64, UInt64, [String])] = [
        (0, 1, []),
        (0, 8, [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ]),
        (5, 8, [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ]),
        (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (1, 5, [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ]),
    ]

    /// (first size, second size, proof).
    static let consistency: [(UInt64, UInt64, [String])] = [
        (1, 1, []),
        (1, 8, [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ]),
        (6, 8, [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ]),
        (2, 5, [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ]),
        (6, 7, [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ]),
    ]

    static var leafHashes: [MerkleHash] { leaves.map(MerkleTree.leafHash) }
}

@Suite("Merkle tree (RFC 6962)")
struct MerkleTreeTests {
    @Test("the empty tree and a leaf hash match RFC 6962")
    func emptyAndLeaf() {
        #expect(MerkleTree.emptyRoot.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(MerkleTree.leafHash([]).hex == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    }

    @Test("roots of the published trees of 1 to 8 leaves")
    func roots() {
        let hashes = RFC6962Vectors.leafHashes
        for size in 1...8 {
            #expect(MerkleTree.root(ofLeafHashes: hashes[0..<size]) == RFC6962Vectors.roots[size - 1], "size \(size)")
            var builder = MerkleTreeBuilder()
            for hash in hashes[0..<size] { builder.append(leafHash: hash) }
            #expect(builder.root == RFC6962Vectors.roots[size - 1], "builder, size \(size)")
            let fromNodes = MerkleTree.combine(
                MerkleTree.perfectNodes(from: 0, to: UInt64(size)).map {
                    MerkleTree.root(ofLeafHashes: hashes[Int($0.leaves.lowerBound)..<Int($0.leaves.upperBound)])
                }
            )
            #expect(fromNodes == RFC6962Vectors.roots[size - 1], "complete subtrees, size \(size)")
        }
    }

    @Test("published inclusion proofs are produced and verified")
    func inclusionVectors() throws {
        let hashes = RFC6962Vectors.leafHashes
        for (index, size, pathHex) in RFC6962Vectors.inclusion {
            let path = pathHex.compactMap { MerkleHash(hex: $0) }
            let tree = Array(hashes[0..<Int(size)])
            #expect(try MerkleTree.inclusionProof(index: index, leafHashes: tree) == path, "leaf \(index) of \(size)")
            try MerkleTree.verifyInclusion(
                index: index, size: size, leafHash: hashes[Int(index)], proof: path, root: RFC6962Vectors.roots[Int(size) - 1]
            )
        }
    }

    @Test("published consistency proofs are produced and verified")
    func consistencyVectors() throws {
        let hashes = RFC6962Vectors.leafHashes
        for (first, second, proofHex) in RFC6962Vectors.consistency {
            let proof = proofHex.compactMap { MerkleHash(hex: $0) }
            #expect(try MerkleTree.consistencyProof(from: first, leafHashes: Array(hashes[0..<Int(second)])) == proof, "\(first) → \(second)")
            try MerkleTree.verifyConsistency(
                first: first, second: second,
                firstRoot: RFC6962Vectors.roots[Int(first) - 1], secondRoot: RFC6962Vectors.roots[Int(second) - 1],
                proof: proof
            )
        }
    }

    @Test("an altered inclusion proof, index, size or root is refused")
    func corruptedInclusion() {
        let hashes = RFC6962Vectors.leafHashes
        let root = RFC6962Vectors.roots[7]
        let proof = RFC6962Vectors.inclusion[2].2.compactMap { MerkleHash(hex: $0) }
        let leaf = hashes[5]
        func refused(_ index: UInt64, _ size: UInt64, _ leaf: MerkleHash, _ proof: [MerkleHash], _ root: MerkleHash) -> Bool {
            (try? MerkleTree.verifyInclusion(index: index, size: size, leafHash: leaf, proof: proof, root: root)) == nil
        }
        #expect(refused(4, 8, leaf, proof, root))
        #expect(refused(6, 8, leaf, proof, root))
        #expect(refused(5, 16, leaf, proof, root))
        #expect(refused(5, 4, leaf, proof, root))
        #expect(refused(5, 8, hashes[4], proof, root))
        #expect(refused(5, 8, leaf, proof, MerkleTree.emptyRoot))
        #expect(refused(5, 8, leaf, proof + [root], root))
        #expect(refused(5, 8, leaf, [root] + proof, root))
        #expect(refused(5, 8, leaf, Array(proof.dropLast()), root))
        #expect(refused(8, 8, leaf, proof, root))
        for position in proof.indices {
            var altered = proof
            var bytes = altered[position].bytes
            bytes[0] ^= 8
            altered[position] = MerkleHash(bytes: bytes) ?? altered[position]
            #expect(refused(5, 8, leaf, altered, root), "bit flipped in proof[\(position)]")
        }
    }

    @Test("an altered consistency proof, size or root is refused; trivial cases follow the RFC")
    func corruptedConsistency() {
        let roots = RFC6962Vectors.roots
        let proof = RFC6962Vectors.consistency[2].2.compactMap { MerkleHash(hex: $0) }
        func refused(_ first: UInt64, _ second: UInt64, _ root1: MerkleHash, _ root2: MerkleHash, _ proof: [MerkleHash]) -> Bool {
            (try? MerkleTree.verifyConsistency(first: first, second: second, firstRoot: root1, secondRoot: root2, proof: proof)) == nil
        }
        #expect(refused(5, 8, roots[5], roots[7], proof))
        #expect(refused(7, 8, roots[5], roots[7], proof))
        #expect(refused(6, 16, roots[5], roots[7], proof))
        #expect(refused(6, 8, roots[4], roots[7], proof))
        #expect(refused(6, 8, roots[5], roots[6], proof))
        #expect(refused(6, 8, roots[7], roots[5], proof))
        #expect(refused(6, 8, roots[5], roots[7], []))
        #expect(refused(6, 8, roots[5], roots[7], proof + [roots[5]]))
        #expect(refused(6, 8, roots[5], roots[7], [roots[5]] + proof))
        #expect(refused(6, 8, roots[5], roots[7], Array(proof.dropLast())))
        #expect(refused(8, 6, roots[7], roots[5], proof))
        #expect(refused(1, 1, roots[0], roots[1], []))
        #expect(refused(0, 1, roots[0], roots[1], [roots[0]]))
        #expect(!refused(0, 1, MerkleTree.emptyRoot, roots[0], []))
        #expect(!refused(3, 3, roots[2], roots[2], []))
    }

    @Test("proof requests outside the tree are refused")
    func outOfRange() {
        #expect(throws: MerkleTree.Problem.self) { try MerkleTree.inclusionPathRanges(index: 3, size: 3) }
        #expect(throws: MerkleTree.Problem.self) { try MerkleTree.consistencyRanges(from: 4, to: 3) }
        #expect(throws: MerkleTree.Problem.self) { try MerkleTreeBuilder(size: 3, edgeHashes: []) }
        #expect(MerkleHash(hex: "abc") == nil)
        #expect(MerkleHash(hex: String(repeating: "zz", count: 32)) == nil)
    }
}
