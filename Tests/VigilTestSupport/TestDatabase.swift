import Foundation
import Logging
import PostgresKit
import PostgresNIO
import Testing
import VigilCore
import VigilStore

/// The database a test's stores are made on. Suites marked ``Trait/onBothDatabases`` run every
/// test once on SQLite and, when `VIGIL_TEST_POSTGRES_URL` names a server, once more on PostgreSQL.
public enum TestDatabase: Sendable, CustomStringConvertible {
    case sqlite
    case postgres(url: String)

    /// The database of the test running now; SQLite outside the trait.
    @TaskLocal public static var current = TestDatabase.sqlite

    /// `VIGIL_TEST_POSTGRES_URL`: a PostgreSQL server the tests may make schemas in
    /// (`tests/postgres/start` starts a throw-away one and prints it).
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["VIGIL_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Why the PostgreSQL runs are skipped, for the skipped test that says so.
    public static let postgresSkipReason: Comment =
        "VIGIL_TEST_POSTGRES_URL is not set, so every test ran on SQLite only; `tests/postgres/start` starts a server and prints the URL (.ci/run does this)"

    public var description: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }

    /// A new, empty place for one test's data: a schema of its own on PostgreSQL.
    public static func freshSchemaName() -> String {
        "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// Removes a test's schema and everything in it.
    public static func dropSchema(_ schema: String, url: String) async {
        do {
            let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: TestStore.quietLogger)
            try? await connection.sql().raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
            try? await connection.close()
        } catch {
            // A schema left behind costs disk space on a throw-away server, nothing else.
        }
    }
}

/// Runs each test of a suite on SQLite, then on PostgreSQL when a server is given. A failure on
/// PostgreSQL is reported with the test like any other; the error thrown says which database.
public struct BothDatabases: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> BothDatabases? {
        testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        await Self.turns.wait()
        defer { Self.turns.signal() }
        try await TestDatabase.$current.withValue(.sqlite) { try await function() }
        guard let url = TestDatabase.postgresURL else { return }
        do {
            try await TestDatabase.$current.withValue(.postgres(url: url)) { try await function() }
        } catch {
            throw OnPostgres(error: error)
        }
    }

    /// How many of these tests run at once. Unbounded, the suite held over a hundred stores
    /// open together, and thousands of descriptors (see ``ProcessLaunch``); on two cores a
    /// dozen keeps both busy.
    private static let turns = TestTurns(12)

    /// An error thrown by a test during its PostgreSQL run.
    struct OnPostgres: Error, CustomStringConvertible {
        let error: any Error
        var description: String { "on PostgreSQL: \(String(describing: error))" }
    }
}

extension Trait where Self == BothDatabases {
    /// Runs each test on SQLite and, when `VIGIL_TEST_POSTGRES_URL` is set, on PostgreSQL too.
    public static var onBothDatabases: BothDatabases { BothDatabases() }
}

/// A counting semaphore for tests: `wait` suspends the task, never a thread.
final class TestTurns: Sendable {
    private let state: Locked<(free: Int, waiting: [CheckedContinuation<Void, Never>])>

    init(_ count: Int) {
        state = Locked((count, []))
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                guard state.free > 0 else {
                    state.waiting.append(continuation)
                    return false
                }
                state.free -= 1
                return true
            }
            if now { continuation.resume() }
        }
    }

    func signal() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
