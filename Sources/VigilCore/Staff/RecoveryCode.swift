import Crypto
import Foundation

/// A single-use code that stands in for the second factor when a staff member's phone is lost.
/// Only its hash is stored.
public struct RecoveryCode: Sendable, Hashable {
    /// The code as shown to the person once: four groups of four letters and digits.
    public let text: String

    /// Letters and digits that cannot be mistaken for one another when read aloud or copied.
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    public init(random: any RandomSource) {
        let characters = random.bytes(16).map { Self.alphabet[Int($0) % Self.alphabet.count] }
        text = stride(from: 0, to: 16, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// Reads a code as typed: case, spaces and dashes do not matter.
    public init?(typed: String) {
        let compact = typed.lowercased().filter { Self.alphabet.contains($0) }
        guard compact.count == 16, typed.lowercased().allSatisfy({ Self.alphabet.contains($0) || $0 == "-" || $0 == " " }) else {
            return nil
        }
        let characters = Array(compact)
        text = stride(from: 0, to: 16, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// The SHA-256 of the code, hex-encoded. The codes carry 16 × log2(31) ≈ 79 random bits,
    /// enough that a plain hash cannot be reversed by guessing.
    public var hash: String {
        SHA256.hash(data: Data(text.utf8)).hexString
    }
}
