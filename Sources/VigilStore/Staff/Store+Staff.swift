import Foundation
import SQLKit
import VigilCore

extension Store {
    private static let staffColumns: SQLQueryString = """
        id, email, role, committee_id, password_hash IS NOT NULL AS is_set_up, totp_secret IS NOT NULL AS has_totp,
        disabled, created_at, last_login_at
        """

    /// Creates an account that is finished through a setup link whose token hash is given.
    /// Fails with ``StoreError/conflict(_:)`` when the address already has an account.
    public func createStaff(
        email: String,
        role: StaffRole,
        committeeID: Int64? = nil,
        setupTokenHash: String,
        setupExpiresAt: Date,
        audit entry: AuditRecord
    ) async throws -> StaffMember {
        let address = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return try await transaction { database in
            if try await database.raw("SELECT id FROM staff WHERE email = \(bind: address)").first() != nil {
                throw StoreError.conflict("a staff account for \(address) exists already")
            }
            guard let row = try await database.raw(
                """
                INSERT INTO staff (email, role, committee_id, setup_token_hash, setup_expires_at, created_at)
                VALUES (\(bind: address), \(bind: role.rawValue), \(bind: committeeID), \(bind: setupTokenHash),
                        \(bind: setupExpiresAt.storedMilliseconds), \(bind: now().storedMilliseconds))
                RETURNING \(Self.staffColumns)
                """
            ).first() else {
                throw StoreError.corruptRow(table: "staff", problem: "insert returned nothing")
            }
            let member = try Self.staffMember(row)
            try await appendAudit(entry.about("staff:\(member.id)"), on: database)
            return member
        }
    }

    /// Every staff account, by e-mail address.
    public func staffMembers() async throws -> [StaffMember] {
        try await reader.raw("SELECT \(Self.staffColumns) FROM staff ORDER BY email").all().map(Self.staffMember)
    }

    /// The account with this id, or `nil`.
    public func staffMember(id: Int64) async throws -> StaffMember? {
        try await reader.raw("SELECT \(Self.staffColumns) FROM staff WHERE id = \(bind: id)").first().map(Self.staffMember)
    }

    /// What sign-in checks for an address, or `nil` when no account has it.
    public func staffCredentials(email: String) async throws -> StaffCredentials? {
        let address = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return try await credentials(where: "email = \(bind: address)")
    }

    /// What a second-factor check needs for an account.
    public func staffCredentials(id: Int64) async throws -> StaffCredentials? {
        try await credentials(where: "id = \(bind: id)")
    }

    private func credentials(where condition: SQLQueryString) async throws -> StaffCredentials? {
        guard let row = try await reader.raw(
            "SELECT \(Self.staffColumns), password_hash, totp_secret FROM staff WHERE " + condition
        ).first() else { return nil }
        let sealed = try row.decode(column: "totp_secret", as: Data?.self)
        return StaffCredentials(
            member: try Self.staffMember(row),
            passwordHash: try row.decode(column: "password_hash", as: String?.self),
            totpSecret: try sealed.map { String(decoding: try cipher.open(Array($0)), as: UTF8.self) }
        )
    }

    /// The account a setup link belongs to, while the link is valid.
    public func staffMember(setupTokenHash: String) async throws -> StaffMember? {
        try await reader.raw(
            """
            SELECT \(Self.staffColumns) FROM staff
            WHERE setup_token_hash = \(bind: setupTokenHash) AND setup_expires_at >= \(bind: now().storedMilliseconds)
              AND NOT disabled
            """
        ).first().map(Self.staffMember)
    }

    /// Finishes an account's setup: sets the password, and the second factor with its recovery
    /// codes when given. The setup link stops working.
    public func completeStaffSetup(
        id: Int64,
        passwordHash: String,
        totpSecret: String?,
        recoveryCodeHashes: [String],
        audit entry: AuditRecord
    ) async throws {
        let sealed = try totpSecret.map { Data(try cipher.seal(Array($0.utf8))) }
        try await transaction { database in
            try await database.raw(
                """
                UPDATE staff SET password_hash = \(bind: passwordHash), totp_secret = \(bind: sealed),
                    setup_token_hash = NULL, setup_expires_at = NULL
                WHERE id = \(bind: id)
                """
            ).run()
            try await replaceRecoveryCodes(staffID: id, hashes: recoveryCodeHashes, on: database)
            try await appendAudit(entry.about("staff:\(id)"), on: database)
        }
    }

    /// Enrols (or replaces) the second factor of a signed-in account.
    public func enrolSecondFactor(id: Int64, totpSecret: String, recoveryCodeHashes: [String], audit entry: AuditRecord) async throws {
        let sealed = Data(try cipher.seal(Array(totpSecret.utf8)))
        try await transaction { database in
            try await database.raw(
                "UPDATE staff SET totp_secret = \(bind: sealed), totp_last_step = NULL WHERE id = \(bind: id)"
            ).run()
            try await replaceRecoveryCodes(staffID: id, hashes: recoveryCodeHashes, on: database)
            try await appendAudit(entry.about("staff:\(id)"), on: database)
        }
    }

    private func replaceRecoveryCodes(staffID: Int64, hashes: [String], on database: any SQLDatabase) async throws {
        try await database.raw("DELETE FROM staff_recovery_codes WHERE staff_id = \(bind: staffID)").run()
        guard !hashes.isEmpty else { return }
        let rows = hashes.map { "(\(bind: staffID), \(bind: $0))" as SQLQueryString }
        try await database.raw(
            "INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES " + rows.joined(separator: ", ")
        ).run()
    }

    /// Accepts a TOTP time step once: a code already used (or an older one) is refused, so a code
    /// seen over someone's shoulder cannot be replayed.
    public func acceptSecondFactorStep(id: Int64, step: Int64) async throws -> Bool {
        try await write { database in
            try await database.raw(
                """
                UPDATE staff SET totp_last_step = \(bind: step)
                WHERE id = \(bind: id) AND (totp_last_step IS NULL OR totp_last_step < \(bind: step))
                RETURNING id
                """
            ).first() != nil
        }
    }

    /// Spends a recovery code; `false` when it is unknown or was used before.
    public func spendRecoveryCode(staffID: Int64, hash: String) async throws -> Bool {
        try await write { database in
            try await database.raw(
                """
                UPDATE staff_recovery_codes SET used_at = \(bind: now().storedMilliseconds)
                WHERE staff_id = \(bind: staffID) AND code_hash = \(bind: hash) AND used_at IS NULL
                RETURNING staff_id
                """
            ).first() != nil
        }
    }

    /// Recovery codes not yet used.
    public func unusedRecoveryCodeCount(staffID: Int64) async throws -> Int {
        try await reader.raw(
            "SELECT COUNT(*) AS n FROM staff_recovery_codes WHERE staff_id = \(bind: staffID) AND used_at IS NULL"
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Disables or re-enables an account; a disabled account's sessions end at once.
    public func setStaffDisabled(id: Int64, disabled: Bool, audit entry: AuditRecord) async throws {
        try await transaction { database in
            try await database.raw("UPDATE staff SET disabled = \(bind: disabled) WHERE id = \(bind: id)").run()
            if disabled {
                try await database.raw("DELETE FROM staff_sessions WHERE staff_id = \(bind: id)").run()
            }
            try await appendAudit(entry.about("staff:\(id)"), on: database)
        }
    }

    /// Records a completed sign-in.
    public func recordSignIn(staffID: Int64) async throws {
        try await write { database in
            try await database.raw(
                "UPDATE staff SET last_login_at = \(bind: now().storedMilliseconds) WHERE id = \(bind: staffID)"
            ).run()
        }
    }

    static func staffMember(_ row: any SQLRow) throws -> StaffMember {
        let roleText = try row.decode(column: "role", as: String.self)
        guard let role = StaffRole(rawValue: roleText) else {
            throw StoreError.corruptRow(table: "staff", problem: "role '\(roleText)'")
        }
        return StaffMember(
            id: try row.decode(column: "id", as: Int64.self),
            email: try row.decode(column: "email", as: String.self),
            role: role,
            committeeID: try row.decode(column: "committee_id", as: Int64?.self),
            isSetUp: try row.decode(column: "is_set_up", as: Bool.self),
            hasTwoFactor: try row.decode(column: "has_totp", as: Bool.self),
            disabled: try row.decode(column: "disabled", as: Bool.self),
            createdAt: Date(storedMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            lastSignedInAt: try row.decode(column: "last_login_at", as: Int64?.self).map(Date.init(storedMilliseconds:))
        )
    }
}
