/// The thread the process writes on: every store's writing connections hand their results to
/// it, and each write runs its own code on it, as its task's executor.
///
/// Under a signing spike the shared task pool is full of requests. A transaction that waited
/// there for its turn after every statement held SQLite's write lock all the while: the
/// signature writer spent a third of each batch waiting for the mail worker's commits, and a
/// `SELECT 1` took 170 µs. On a thread of their own, writes go from statement to statement
/// without queueing behind the requests.
///
/// One thread serves the whole process and is never stopped, like NIO's own singletons: a
/// store that closed while a late write was still on its way could otherwise leave that write
/// waiting forever on a stopped loop.
enum WritingThread {
    /// The process's writing thread.
    static let shared = DedicatedThread()
}
