import Foundation
import Hummingbird

/// The endpoints for the machines around Vigil: `/healthz` and `/readyz` for load balancers and
/// service managers. They are plain text, set no cookie and are never cached.
struct OperationsController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/healthz", use: health)
        router.get("/readyz", use: readiness)
    }

    /// The process answers: it is alive, whatever its database does.
    @Sendable func health(request: Request, context: VigilRequestContext) async throws -> Response {
        Self.text(.ok, "ok")
    }

    /// The database answers and has the schema this build expects: the server can take traffic.
    /// Otherwise 503 with the reason, so that a load balancer sends requests elsewhere.
    @Sendable func readiness(request: Request, context: VigilRequestContext) async throws -> Response {
        let readiness = await services.store.readiness()
        return Self.text(readiness == .ready ? .ok : .serviceUnavailable, readiness.reason)
    }

    private static func text(_ status: HTTPResponse.Status, _ line: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: line + "\n")))
    }
}
