import Crypto
import Foundation
import Hummingbird
import VigilCore

/// The stylesheet and script, held in memory and served with a content hash in their URL so
/// browsers and proxies may keep them for a year.
struct StaticAssets: Sendable {
    struct Asset: Sendable {
        let bytes: ByteBuffer
        let contentType: String
        let hash: String
    }

    private let assets: [String: Asset]

    init(folder: URL) throws {
        var assets: [String: Asset] = [:]
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            guard let type = types[(name as NSString).pathExtension] else { continue }
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            assets[name] = Asset(
                bytes: ByteBuffer(bytes: data),
                contentType: type,
                hash: String(SHA256.hash(data: data).hexString.prefix(12))
            )
        }
        self.assets = assets
    }

    /// The URL of an asset, with its hash so a changed file gets a new address.
    func url(of name: String) -> String {
        "/assets/\(name)?v=\(assets[name]?.hash ?? "0")"
    }

    subscript(name: String) -> Asset? { assets[name] }
}
