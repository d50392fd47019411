import NIOCore
import NIOPosix

/// The thread a store writes on: both writing connections hand their results to it, and each
/// write runs its own code on it, as its task's executor.
///
/// Under a signing spike the shared task pool is full of requests. A transaction that waited
/// there for its turn after every statement held SQLite's write lock all the while: the
/// signature writer spent a third of each batch waiting for the mail worker's commits, and a
/// `SELECT 1` took 170 µs. On a thread of their own, writes go from statement to statement
/// without queueing behind the requests.
final class WritingThread: TaskExecutor {
    private let group: MultiThreadedEventLoopGroup
    /// The event loop the writing connections run on.
    let eventLoop: any EventLoop

    init() {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        eventLoop = group.next()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Runs `body` on this thread, wherever it awaits.
    func run<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        try await withTaskExecutorPreference(self, operation: body)
    }

    /// Ends the thread, once the connections on it are closed.
    func stop() async {
        try? await group.shutdownGracefully()
    }
}
