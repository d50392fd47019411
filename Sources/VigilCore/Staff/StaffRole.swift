/// What a member of the campaign's staff may do. docs/staff-roles.md shows the same table.
public enum StaffRole: String, Sendable, Codable, CaseIterable, Comparable {
    /// Runs the installation: everything, including accounts, invalidation and the audit log.
    case admin
    /// Writes petitions and updates, delivers petitions, reviews held signatures and moderates
    /// names and comments.
    case editor
    /// Looks after one local committee: sees its figures and its referral link, and records
    /// the contacts it has with national delegations in the Moscow Mechanism tracker.
    case coordinator
    /// Reads the dashboard's aggregate figures; sees no personal data.
    case viewer

    /// Whether the role must use a second factor (TOTP) to sign in.
    public var requiresTwoFactor: Bool {
        self == .admin || self == .editor
    }

    /// The permissions of the role.
    public var permissions: Set<StaffPermission> {
        switch self {
        case .admin:
            Set(StaffPermission.allCases)
        case .editor:
            [
                .viewDashboard, .findSignatures, .reviewHeldSignatures, .moderate, .editPetitions, .deliverPetitions, .postUpdates,
                .trackMechanism, .manageCommittees, .submitPaper, .reviewPaper,
            ]
        case .coordinator:
            [.viewDashboard, .manageOwnCommittee, .trackMechanism, .submitPaper]
        case .viewer:
            [.viewDashboard]
        }
    }

    public func may(_ permission: StaffPermission) -> Bool {
        permissions.contains(permission)
    }

    public static func < (lhs: StaffRole, rhs: StaffRole) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// One thing a staff member may be allowed to do.
public enum StaffPermission: String, Sendable, Codable, CaseIterable {
    /// See counts, by country and by day, and the outbox's state.
    case viewDashboard = "view-dashboard"
    /// Look up a signature by e-mail address and see its details.
    case findSignatures = "find-signatures"
    /// Confirm or release signatures held back as suspected abuse.
    case reviewHeldSignatures = "review-held-signatures"
    /// Invalidate signatures in bulk, and undo it.
    case invalidateSignatures = "invalidate-signatures"
    /// Approve or hide public names and comments.
    case moderate
    /// Edit petitions' texts, goals and external tallies.
    case editPetitions = "edit-petitions"
    /// Open, close and mark petitions delivered.
    case publishPetitions = "publish-petitions"
    /// Build the delivery dossier; record national delegations, deliveries and answers.
    case deliverPetitions = "deliver-petitions"
    /// Write and publish updates.
    case postUpdates = "post-updates"
    /// E-mail an update to the signers who asked to be kept informed.
    case sendUpdates = "send-updates"
    /// Create, lock, unlock and disable staff accounts.
    case manageStaff = "manage-staff"
    /// See outgoing e-mail that failed and put it back in the queue.
    case manageOutbox = "manage-outbox"
    /// Read and export the audit log.
    case viewAuditLog = "view-audit-log"
    /// Switch the site to "under attack", when the sign form asks for a proof of work, and back.
    case switchUnderAttack = "switch-under-attack"
    /// Record where the campaign stands with each OSCE participating State on invoking the
    /// Moscow Mechanism, with public and internal notes.
    case trackMechanism = "track-mechanism"
    /// Run one local committee (its page, its paper batches).
    case manageOwnCommittee = "manage-own-committee"
    /// Create local committees, change their details and see every committee's figures.
    case manageCommittees = "manage-committees"
    /// Send batches of paper signatures with their scans and chain of custody; a coordinator
    /// sends and sees only their own committee's.
    case submitPaper = "submit-paper"
    /// Accept or reject paper batches someone else sent.
    case reviewPaper = "review-paper"
    /// Register partner sites, issue and revoke their tokens, and mark them trusted.
    case managePartners = "manage-partners"
}
