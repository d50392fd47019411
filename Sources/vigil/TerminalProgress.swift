import Foundation
import VigilWeb

/// One line on standard error, rewritten as a long command goes on.
final class TerminalProgress: @unchecked Sendable {
    private var lastStep = ""
    private var lastShown = Date.distantPast

    func show(step: String, done: UInt64, total: UInt64) {
        let now = Date()
        // At most a few updates a second, and always the last of each step.
        guard step != lastStep || done == total || now.timeIntervalSince(lastShown) > 0.2 else { return }
        if step != lastStep, !lastStep.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
        lastStep = step
        lastShown = now
        let percent = total == 0 ? 100 : Int(done * 100 / total)
        FileHandle.standardError.write(Data("\r\(step): \(done)/\(total) (\(percent)%)   ".utf8))
    }

    func show(_ progress: DossierProgress) {
        show(step: progress.step, done: progress.done, total: progress.total)
    }

    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
