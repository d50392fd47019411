import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilStore

@Suite("Operations: the data folder lock")
struct OperationsTests {
    @Test("a second holder of a data folder's lock is refused with the first one's pid, until the first lets go")
    func dataFolderLock() throws {
        let folder = DataFolder(url: FileManager.default.temporaryDirectory.appendingPathComponent("vigil-lock-\(UUID().uuidString)"))
        try folder.prepare()
        defer { try? FileManager.default.removeItem(at: folder.url) }
        var first: DataFolderLock? = try DataFolderLock.acquire(folder)
        #expect(first != nil)
        #expect {
            try DataFolderLock.acquire(folder)
        } throws: { error in
            guard case StoreError.dataFolderInUse(let path, let pid) = error else { return false }
            return path == folder.url.path && pid == getpid() && "\(error)".contains(folder.url.path)
        }
        first = nil
        #expect(throws: Never.self) { _ = try DataFolderLock.acquire(folder) }
    }
}
