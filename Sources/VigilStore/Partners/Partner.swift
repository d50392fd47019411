import Foundation
import VigilCore

/// A partner site that pushes signatures into Vigil with its own token.
public struct Partner: Sendable, Identifiable, Equatable {
    public let id: Int64
    public let details: PartnerDetails
    /// The last four characters of its current token.
    public let tokenHint: String
    public let createdAt: Date
    /// When staff revoked its token; a revoked partner's pushes are refused.
    public let revokedAt: Date?
    /// When it last pushed a signature.
    public let lastUsedAt: Date?

    public var isRevoked: Bool { revokedAt != nil }
}
