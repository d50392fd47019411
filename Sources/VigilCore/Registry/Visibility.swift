/// Who may see a fact in the registry.
///
/// Restricted facts are kept (staff need them, and they may become public later) but never
/// leave the server: ``PublicRegistry`` drops them, and every public page, export and API
/// answer is built from a ``PublicRegistry`` only.
public enum Visibility: String, Sendable, Hashable, Codable, CaseIterable {
    /// Anyone may see it.
    case `public`
    /// Staff only: shown on no public page, export, feed or API answer.
    case restricted
}
