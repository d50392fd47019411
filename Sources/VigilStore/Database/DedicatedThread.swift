import Glibc
import NIOCore
import NIOPosix

/// A thread of its own that tasks can prefer as their executor: one NIO event loop, started
/// once and never stopped, like NIO's own singletons (a late task could otherwise be left
/// waiting on a stopped loop).
public final class DedicatedThread: TaskExecutor {
    /// The event loop the thread runs.
    public let eventLoop: any EventLoop

    /// Starts the thread, at `niceness` (0 is the process's own priority; higher yields the
    /// CPU to other threads while they have work).
    public init(niceness: Int32 = 0) {
        eventLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1).next()
        if niceness != 0 {
            eventLoop.execute {
                // On Linux the nice value belongs to each thread, and 0 names the calling one.
                // A failure leaves the thread at the process's priority.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
            }
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Runs `body` on this thread, wherever it awaits.
    public func run<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        try await withTaskExecutorPreference(self, operation: body)
    }
}
