import Foundation

/// A value shared between threads and tasks, guarded by a lock.
///
/// Vigil uses this rather than the standard library's `Synchronization.Mutex`: on Linux that
/// Mutex is built on priority-inheritance futexes, and on some kernels and virtual machines
/// those hang or crash under contention (measured: eight threads taking one Mutex hung in five
/// runs out of five, where the same loop with this lock finished every time). `NSLock` is a
/// plain pthread mutex. See docs/decisions.md.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with the value, alone. `body` must not wait or suspend.
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
