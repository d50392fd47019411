import Foundation
import FuzzDriver
import VigilCore

/// What every harness shares: checking properties, splitting an input into documents,
/// waiting for async code and writing the seed corpus.
public enum Fuzz {
    /// Hands the program to libFuzzer, which calls the harness's `LLVMFuzzerInitialize` and then
    /// its `LLVMFuzzerTestOneInput` for every input; returns libFuzzer's exit code.
    public static func run() -> CInt {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput)
    }

    /// The body of a harness's `LLVMFuzzerTestOneInput`: hands the input to its check.
    public static func test(_ data: UnsafePointer<UInt8>, _ size: Int, _ check: ([UInt8]) -> Void) -> CInt {
        check(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }

    /// Stops the run when a property does not hold, so that libFuzzer keeps the input as a crash.
    public static func require(
        _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
        file: StaticString = #fileID, line: UInt = #line
    ) {
        if !condition() { fatalError("property does not hold: \(message())", file: file, line: line) }
    }

    /// The byte between the documents of a harness that reads several (ASCII record separator):
    /// it appears in none of the formats, so the mutator can change one document at a time.
    public static let separator: UInt8 = 0x1E

    /// The input cut at ``separator`` into exactly `count` documents, missing ones empty.
    public static func documents(_ bytes: [UInt8], count: Int) -> [[UInt8]] {
        var parts = bytes.split(separator: separator, maxSplits: count - 1, omittingEmptySubsequences: false).map(Array.init)
        while parts.count < count { parts.append([]) }
        return parts
    }

    /// Documents joined into one input, as ``documents(_:count:)`` cuts it.
    public static func joined(_ documents: [[UInt8]]) -> [UInt8] {
        Array(documents.joined(separator: [separator]))
    }

    /// Runs async code to its end from the synchronous fuzz entry point.
    public static func wait<Value: Sendable>(_ body: @escaping @Sendable () async -> Value) -> Value {
        let done = DispatchSemaphore(value: 0)
        let result = Locked<Value?>(nil)
        Task {
            let value = await body()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        guard let value = result.withLock({ $0 }) else { fatalError("the task ended without a result") }
        return value
    }

    /// The log key the seeds are signed with and the harnesses re-sign with: fixed, so that the
    /// corpus stays valid from one build to the next.
    public static let logKey: TallyLogKey = {
        guard let key = try? TallyLogKey(rawRepresentation: Array(repeating: 0x5A, count: TallyLogKey.byteCount)) else {
            fatalError("the fixed fuzzing key is not an Ed25519 seed")
        }
        return key
    }()

    /// The repository the harness was built from, for the real content files.
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// With `VIGIL_FUZZ_SEEDS=<folder>` in the environment, writes the harness's seeds there and
    /// exits; `Fuzz/run --seeds` uses this to remake the committed corpus from the code.
    /// It is the body of a harness's `LLVMFuzzerInitialize`.
    public static func initialize(seeds: () throws -> [(name: String, bytes: [UInt8])]) -> CInt {
        guard let folder = ProcessInfo.processInfo.environment["VIGIL_FUZZ_SEEDS"] else { return 0 }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for seed in try seeds() {
                try Data(seed.bytes).write(to: URL(fileURLWithPath: folder).appendingPathComponent(seed.name))
            }
        } catch {
            fatalError("cannot write the seeds to \(folder): \(error)")
        }
        exit(0)
    }
}
