import Crypto
import Foundation
import Hummingbird

/// The endpoints for the machines around Vigil: `/healthz` and `/readyz` for load balancers and
/// service managers, and `/metrics` for Prometheus. They are plain text, set no cookie and are
/// never cached.
///
/// `/metrics` answers a scraper that presents the bearer token of `VIGIL_METRICS_TOKEN`; without
/// that setting the route does not exist (404). The figures hold no personal data, but the held and
/// pending counts would show an attacker whether a flood gets past the rate limits
/// (docs/decisions.md).
struct OperationsController {
    let services: VigilServices
    let metrics: VigilMetrics

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/healthz", use: health)
        router.get("/readyz", use: readiness)
        router.get("/metrics", use: scrape)
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

    @Sendable func scrape(request: Request, context: VigilRequestContext) async throws -> Response {
        guard let token = services.configuration.metricsToken else { return Self.text(.notFound, "not found") }
        guard let given = Self.bearerToken(request.headers[.authorization]),
              // Digests compare in constant time, so the answer's timing tells nothing about the token.
              SHA256.hash(data: Data(given.utf8)) == SHA256.hash(data: Data(token.utf8))
        else {
            var response = Self.text(.unauthorized, "unauthorized")
            response.headers[.wwwAuthenticate] = #"Bearer realm="vigil-metrics""#
            return response
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let body = try await metrics.exposition(store: services.store)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The token of an `Authorization: Bearer …` header.
    static func bearerToken(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    private static func text(_ status: HTTPResponse.Status, _ line: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: line + "\n")))
    }
}
