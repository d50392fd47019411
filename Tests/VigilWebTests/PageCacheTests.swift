import Foundation
import Testing
import VigilCore
@testable import VigilWeb

@Suite("Page cache")
struct PageCacheTests {
    struct RenderFailed: Error {}

    @Test("requests that miss the cache together wait for one rendering and all get it")
    func oneRenderingForMany() async throws {
        let cache = PageCache()
        let renderings = Locked(0)
        let pages = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    let entry = try await cache.page("petition:en", version: 7) {
                        renderings.withLock { $0 += 1 }
                        try await Task.sleep(for: .milliseconds(100))
                        return "<p>count 7, token \(PageCache.tokenSlot)</p>"
                    }
                    return String(buffer: entry.page(token: "abc"))
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(renderings.withLock { $0 } == 1)
        #expect(pages.count == 40)
        #expect(Set(pages) == ["<p>count 7, token abc</p>"])

        // A new version is rendered again; the old one is not asked for twice.
        _ = try await cache.page("petition:en", version: 8) { renderings.withLock { $0 += 1 }; return "<p>count 8</p>" }
        #expect(renderings.withLock { $0 } == 2)
    }

    @Test("when the rendering fails, only its own request gets the error; one of the waiting ones renders instead")
    func failedRendering() async throws {
        let cache = PageCache()
        let renderings = Locked(0)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    do {
                        _ = try await cache.page("petition:hy", version: 1) {
                            let turn = renderings.withLock { $0 += 1; return $0 }
                            try await Task.sleep(for: .milliseconds(100))
                            if turn == 1 { throw RenderFailed() }
                            return "<p>page</p>"
                        }
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { !$0 }.count == 1, "only the request whose rendering failed sees the failure")
        #expect(renderings.withLock { $0 } == 2)
    }
}
