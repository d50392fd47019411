import Hummingbird
import NIOCore
import VigilCore
import VigilStore

/// What Vigil knows about a request beyond the request itself.
public struct VigilRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's network address as seen on the socket, if there is one.
    public let remoteAddress: SocketAddress?
    /// The browser's CSRF secret, from its cookie or minted for this response.
    public var csrfSecret: String?
    /// Whether `csrfSecret` is new and must be set as a cookie on the response.
    public var csrfSecretIsNew = false
    /// The staff member signed in on this browser, fully or part way.
    public var staff: SignedInStaff?
    /// The language named by the path's prefix (`/hy/…`), which outranks every other hint.
    public var pathLanguage: Language?
    /// The language the staff console answers in, chosen as for public pages among all four.
    public var consoleLanguage: Language = .fallback

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Bodies above 64 KiB are refused with 413: a sign form is a few hundred bytes.
    public var maxUploadSize: Int { 64 * 1024 }
}

/// A staff member and the session their browser holds.
public struct SignedInStaff: Sendable {
    public let member: StaffMember
    public let session: StaffSession
    /// The hash of the session's id, to end or advance it.
    let sessionHash: String
}
