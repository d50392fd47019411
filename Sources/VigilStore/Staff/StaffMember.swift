import Foundation
import VigilCore

/// A member of the campaign's staff, as the console shows them.
public struct StaffMember: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let email: String
    public let role: StaffRole
    public let committeeID: Int64?
    /// Whether the account has finished its setup (a password is set).
    public let isSetUp: Bool
    /// Whether a second factor is enrolled.
    public let hasTwoFactor: Bool
    public let disabled: Bool
    public let createdAt: Date
    public let lastSignedInAt: Date?
}

/// What sign-in needs to check, kept apart from ``StaffMember`` so the password hash and the
/// second-factor secret never travel further than the check.
public struct StaffCredentials: Sendable {
    public let member: StaffMember
    public let passwordHash: String?
    /// The TOTP secret, opened; `nil` until enrolled.
    public let totpSecret: String?
}

/// A staff member's signed-in browser.
public struct StaffSession: Sendable, Equatable {
    /// How far the sign-in has come.
    public enum Stage: String, Sendable {
        /// The password was right; the second factor is still to come.
        case secondFactor = "second-factor"
        /// The password was right, and the role needs a second factor that is not enrolled yet.
        case enrol
        /// Fully signed in.
        case signedIn = "signed-in"
    }

    public let staffID: Int64
    public let stage: Stage
    public let createdAt: Date
    public let lastSeenAt: Date
    /// The absolute end of the session, whatever the activity.
    public let expiresAt: Date
}

/// One line of the audit log: who did what, when, from where.
public struct AuditEntry: Sendable, Equatable {
    public let id: Int64
    public let at: Date
    public let staffID: Int64?
    /// Who acted, in words: a staff e-mail address, or `command line`.
    public let actor: String
    /// What was done, as a dotted name such as `petition.text-changed`.
    public let action: String
    /// What it was done to, such as a petition's slug.
    public let subject: String?
    /// The particulars, as JSON.
    public let details: String?
    /// A keyed hash of the client's address; never the address.
    public let clientHash: String?
}
