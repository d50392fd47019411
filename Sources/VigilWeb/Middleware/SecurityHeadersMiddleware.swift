import HTTPTypes
import Hummingbird

/// Adds the security headers to every response, errors included.
///
/// The Content-Security-Policy allows nothing from other origins: no third-party scripts,
/// fonts, images or frames, and forms post only to Vigil itself. No other site may frame a
/// page, except the counter cards under `/embed/`, which exist to be framed.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    private let fields: [HTTPField]
    /// The same, for the framable cards: any site may frame them.
    private let framableFields: [HTTPField]

    /// - Parameter https: also send `Strict-Transport-Security`; only when the site is served over HTTPS.
    init(https: Bool) {
        var headers: [(String, String)] = [
            ("Content-Security-Policy", Self.contentSecurityPolicy),
            ("X-Content-Type-Options", "nosniff"),
            // Confirmation links carry a secret in the path: never leak it in a Referer.
            ("Referrer-Policy", "no-referrer"),
            ("X-Frame-Options", "DENY"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        ]
        if https {
            headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
        }
        fields = headers.compactMap { name, value in HTTPField.Name(name).map { HTTPField(name: $0, value: value) } }
        framableFields = fields.compactMap { field in
            switch field.name.canonicalName {
            case "x-frame-options": nil
            case "content-security-policy": HTTPField(name: field.name, value: Self.contentSecurityPolicy(frameAncestors: "*"))
            default: field
            }
        }
    }

    static var contentSecurityPolicy: String { contentSecurityPolicy(frameAncestors: "'none'") }

    static func contentSecurityPolicy(frameAncestors: String) -> String {
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors \(frameAncestors)",
        ].joined(separator: "; ")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        for field in request.uri.path.hasPrefix(EmbedController.pathPrefix) ? framableFields : fields {
            response.headers[field.name] = field.value
        }
        return response
    }
}
