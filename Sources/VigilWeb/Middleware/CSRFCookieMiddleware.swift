import Hummingbird

/// Gives every browser a CSRF secret: read from its cookie, or minted and set on the response.
struct CSRFCookieMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext

    let csrf: CSRFProtection
    let secureCookies: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let secret = request.cookies[CSRFProtection.cookieName]?.value, csrf.isWellFormed(secret: secret) {
            context.csrfSecret = secret
        } else {
            context.csrfSecret = csrf.newSecret()
            context.csrfSecretIsNew = true
        }
        var response = try await next(request, context)
        if context.csrfSecretIsNew, let secret = context.csrfSecret {
            response.setCookie(
                Cookie(
                    name: CSRFProtection.cookieName,
                    value: secret,
                    path: "/",
                    secure: secureCookies,
                    httpOnly: true,
                    sameSite: .lax
                )
            )
        }
        return response
    }
}
