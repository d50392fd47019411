import Hummingbird
import VigilCore
import VigilStore

/// A committee's referral link, `/c/{code}`, and the QR code of it for posters.
///
/// The link opens the petition itself rather than redirecting to it: the committee rides in
/// the sign form, so nothing about the visit is kept in a cookie or anywhere else until the
/// person signs.
struct CommitteeController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/c/{code}", use: referral)
        router.get("/c/{code}/qr.svg", use: qrCode)
    }

    @Sendable func referral(request: Request, context: VigilRequestContext) async throws -> HTML {
        let committee = try committee(context)
        guard let slug = services.committees.petitionSlug(of: committee) else { throw HTTPError(.notFound) }
        let content = try await services.content(slug: slug)
        return try await PetitionController(services: services).page(content, referredBy: committee, request: request, context: context)
    }

    /// The referral link as a QR code, in SVG to print at any size.
    @Sendable func qrCode(request: Request, context: VigilRequestContext) async throws -> Response {
        let committee = try committee(context)
        let link = services.configuration.publicURL + committee.code.referralPath
        let code = try QRCode(encoding: link)
        var headers = HTTPFields()
        headers[.contentType] = "image/svg+xml"
        headers[.cacheControl] = "public, max-age=86400"
        headers[.contentDisposition] = "inline; filename=\"vigil-\(committee.code.text).svg\""
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: code.svg(title: link))))
    }

    private func committee(_ context: VigilRequestContext) throws -> Committee {
        guard let committee = services.committees.committee(code: try context.parameters.require("code")) else {
            throw HTTPError(.notFound)
        }
        return committee
    }
}
