import Foundation

/// Starts child processes one at a time.
///
/// The tests start programs (servers, commands, decoders) from many threads at once, and
/// Foundation's `Process.run()` on Linux was seen to crash when two threads launched at the
/// same moment. Launching takes milliseconds; the programs still run side by side.
public enum ProcessLaunch {
    private static let lock = NSLock()

    /// Runs `process`, never at the same moment as another launch through here.
    public static func run(_ process: Process) throws {
        lock.lock()
        defer { lock.unlock() }
        try process.run()
    }
}
