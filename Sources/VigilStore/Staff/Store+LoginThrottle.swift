import Foundation
import SQLKit

/// How failed sign-ins are counted and when they lock.
public struct LoginThrottleRule: Sendable {
    /// Failures counted together; the count starts again after this long without a lock.
    public var window: Duration
    /// Failures within the window that lock.
    public var failuresBeforeLock: Int
    /// How long a lock lasts.
    public var lockDuration: Duration

    public init(window: Duration, failuresBeforeLock: Int, lockDuration: Duration) {
        self.window = window
        self.failuresBeforeLock = failuresBeforeLock
        self.lockDuration = lockDuration
    }
}

/// Failed sign-ins under one key (an account, or a client address hash).
public struct LoginThrottleState: Sendable, Equatable {
    public let key: String
    public let failures: Int
    public let lockedUntil: Date?
}

extension Store {
    /// The state of a key, or `nil` when it has no recent failures.
    public func loginThrottle(key: String) async throws -> LoginThrottleState? {
        guard let row = try await reader.raw(
            "SELECT key, failures, locked_until FROM login_throttle WHERE key = \(bind: key)"
        ).first() else { return nil }
        return try Self.throttleState(row)
    }

    /// Keys locked right now, for the admins' view.
    public func lockedLogins() async throws -> [LoginThrottleState] {
        try await reader.raw(
            "SELECT key, failures, locked_until FROM login_throttle WHERE locked_until > \(bind: now().storedMilliseconds) ORDER BY key"
        ).all().map(Self.throttleState)
    }

    /// Counts a failure against a key and locks it once the rule says so; returns the new state.
    public func recordLoginFailure(key: String, rule: LoginThrottleRule) async throws -> LoginThrottleState {
        let nowMS = now().storedMilliseconds
        let windowMS = Int64(rule.window.components.seconds * 1000)
        let lockMS = Int64(rule.lockDuration.components.seconds * 1000)
        return try await transaction { database in
            let current = try await database.raw(
                "SELECT failures, window_started_at FROM login_throttle WHERE key = \(bind: key)"
            ).first()
            var failures = 1
            var windowStart = nowMS
            if let current {
                let started = try current.decode(column: "window_started_at", as: Int64.self)
                if nowMS - started < windowMS {
                    failures = try current.decode(column: "failures", as: Int.self) + 1
                    windowStart = started
                }
            }
            let lockedUntil: Int64? = failures >= rule.failuresBeforeLock ? nowMS + lockMS : nil
            try await database.raw(
                """
                INSERT INTO login_throttle (key, failures, window_started_at, locked_until)
                VALUES (\(bind: key), \(bind: failures), \(bind: windowStart), \(bind: lockedUntil))
                ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,
                    window_started_at = excluded.window_started_at, locked_until = excluded.locked_until
                """
            ).run()
            return LoginThrottleState(key: key, failures: failures, lockedUntil: lockedUntil.map(Date.init(storedMilliseconds:)))
        }
    }

    /// Forgets a key's failures: after a successful sign-in, or when an admin unlocks it.
    public func clearLoginFailures(key: String, audit entry: AuditRecord? = nil) async throws {
        try await transaction { database in
            try await database.raw("DELETE FROM login_throttle WHERE key = \(bind: key)").run()
            if let entry { try await appendAudit(entry.about(key), on: database) }
        }
    }

    private static func throttleState(_ row: any SQLRow) throws -> LoginThrottleState {
        LoginThrottleState(
            key: try row.decode(column: "key", as: String.self),
            failures: try row.decode(column: "failures", as: Int.self),
            lockedUntil: try row.decode(column: "locked_until", as: Int64?.self).map(Date.init(storedMilliseconds:))
        )
    }
}
