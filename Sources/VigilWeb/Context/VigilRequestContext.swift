import Hummingbird
import NIOCore
import VigilCore

/// What Vigil knows about a request beyond the request itself.
public struct VigilRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's network address as seen on the socket, if there is one.
    public let remoteAddress: SocketAddress?
    /// The browser's CSRF secret, from its cookie or minted for this response.
    public var csrfSecret: String?
    /// Whether `csrfSecret` is new and must be set as a cookie on the response.
    public var csrfSecretIsNew = false

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Bodies above 64 KiB are refused with 413: a sign form is a few hundred bytes.
    public var maxUploadSize: Int { 64 * 1024 }
}
