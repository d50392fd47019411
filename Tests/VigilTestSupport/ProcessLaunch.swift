import Foundation

/// Starts child processes one at a time, and only while the test process has few open files.
///
/// Foundation's `Process.run()` on Linux looks for the highest open descriptor by listing
/// `/proc/self/fd`, copying 256 bytes for each entry's name. Once the listing fills the buffer
/// that `readdir` reads it into (about 1,360 descriptors), the copy for the last entries can run
/// past the buffer's end and crash the whole test run. With both databases the suite holds
/// hundreds of connections at its busiest, so a launch waits until fewer are open. Launches
/// also go one at a time: two at the same moment were seen to crash as well.
public enum ProcessLaunch {
    private static let lock = NSLock()
    /// Well below the count at which the listing fills `readdir`'s buffer.
    private static let safeDescriptorCount = 1_000

    /// Runs `process` once fewer than ``safeDescriptorCount`` files are open (or after 30
    /// seconds, in case they never are), never at the same moment as another launch.
    public static func run(_ process: Process) throws {
        let deadline = Date().addingTimeInterval(30)
        while openDescriptorCount() >= safeDescriptorCount && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        lock.lock()
        defer { lock.unlock() }
        try process.run()
    }

    /// How many files this process has open; counted without reading the entries' names.
    static func openDescriptorCount() -> Int {
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while readdir(directory) != nil { count += 1 }
        return count
    }
}
