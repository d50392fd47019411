#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An exclusive lock on a data folder, held by the one process that may write to its SQLite
/// database as a server (and by the commands that must not run beside one).
///
/// It is a `flock` on `vigil.lock` in the folder, taken without waiting. The kernel releases it
/// when the process ends in any way, `kill -9` included, so a crash never leaves a stale lock;
/// the pid written into the file only serves the message of a process that is refused.
public final class DataFolderLock: Sendable {
    /// The lock file.
    public let file: URL
    private let descriptor: Int32

    private init(file: URL, descriptor: Int32) {
        self.file = file
        self.descriptor = descriptor
    }

    /// Takes the lock of `folder`, which must exist, or throws ``StoreError/dataFolderInUse(folder:pid:)``
    /// naming the process that holds it.
    public static func acquire(_ folder: DataFolder) throws -> DataFolderLock {
        let file = folder.lockFile
        let descriptor = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError.dataDirectory("cannot open \(file.path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            let holder = Self.recordedPID(descriptor)
            close(descriptor)
            // EWOULDBLOCK: another process holds it (the same value as EAGAIN on Linux and Darwin).
            if reason == EAGAIN {
                throw StoreError.dataFolderInUse(folder: folder.url.path, pid: holder)
            }
            throw StoreError.dataDirectory("cannot lock \(file.path): \(String(cString: strerror(reason)))")
        }
        let pid = Array("\(getpid())\n".utf8)
        guard ftruncate(descriptor, 0) == 0, pwrite(descriptor, pid, pid.count, 0) == pid.count else {
            close(descriptor)
            throw StoreError.dataDirectory("cannot write \(file.path): \(String(cString: strerror(errno)))")
        }
        return DataFolderLock(file: file, descriptor: descriptor)
    }

    /// The pid the holder wrote, if it did.
    private static func recordedPID(_ descriptor: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &bytes, bytes.count, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: bytes[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Gives the lock up before the process ends (the kernel does it at exit anyway).
    deinit {
        close(descriptor)
    }
}
