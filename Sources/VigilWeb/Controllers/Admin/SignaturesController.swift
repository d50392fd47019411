import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// Signatures in the console: look one up by e-mail address (through the blind index, never by
/// reading addresses), and review the ones held back as suspected abuse.
struct SignaturesController {
    let services: VigilServices
    static let heldShown = 50

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.group("/admin/signatures")
            .add(middleware: PermissionMiddleware(permission: .findSignatures))
            .get(use: page)
        router.group("/admin/signatures/{id}/release")
            .add(middleware: PermissionMiddleware(permission: .reviewHeldSignatures))
            .post(use: release)
    }

    struct Row {
        let id: Int64
        let petition: String
        let status: String
        let held: Bool
        let name: String
        let email: String
        let country: String
        let city: String
        let comment: String
        let reason: String
        let number: String
        let signedAt: String
        let confirmedAt: String
    }

    struct Body {
        let query: String
        let searched: Bool
        let found: [Row]
        let held: [Row]
        let canRelease: Bool
    }

    @Sendable func page(request: Request, context: VigilRequestContext) async throws -> HTML {
        let query = request.uri.queryParameters["email"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        var found: [SignatureRecord] = []
        var error: String?
        if !query.isEmpty {
            do {
                let email = try EmailAddress(query)
                found = try await services.store.signatures(email: email)
                // Looking a signer up is itself a fact worth keeping; the address is not written down.
                var record = context.auditActor(request, services)
                record.action = "signature.looked-up"
                record.details = ["found": String(found.count)]
                try await services.store.audit(record)
            } catch let problem as EmailAddress.Problem {
                _ = problem
                error = services.renderer.texts(context.consoleLanguage)["field_email_malformed"]
            }
        }
        var held: [SignatureRecord] = []
        for slug in try await services.store.petitionSlugs() {
            guard let petition = try await services.store.petition(slug: slug) else { continue }
            held += try await services.store.heldSignatures(petitionID: petition.id, limit: Self.heldShown)
        }
        return try services.adminPage(
            "admin-signatures", titleKey: "admin_signatures_title", path: "/admin/signatures", context: context,
            body: Body(
                query: query,
                searched: !query.isEmpty && error == nil,
                found: try await rows(found, in: context.consoleLanguage),
                held: try await rows(held, in: context.consoleLanguage),
                canRelease: context.staff?.member.role.may(.reviewHeldSignatures) ?? false
            ),
            notice: request.uri.queryParameters["released"] != nil ? services.renderer.texts(context.consoleLanguage)["admin_released"] : nil,
            error: error
        )
    }

    /// Sends a held signature's owner the confirmation e-mail: if the address is theirs and they
    /// confirm, it counts like any other.
    @Sendable func release(request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try await services.verifiedForm(request, context: context)
        guard let id = Int64(try context.parameters.require("id")),
              let record = try await services.store.signatureRecord(id: id)
        else { throw HTTPError(.notFound) }
        guard record.status == .held else { throw HTTPError(.conflict) }
        _ = try await services.store.signatureWriter.sign(try services.store.signingRequest(releasing: record))
        var audit = context.auditActor(request, services)
        audit.action = "signature.released"
        audit.subject = "signature:\(id)"
        audit.details = ["reason": record.holdReason ?? ""]
        try await services.store.audit(audit)
        return Response.redirect(to: "/admin/signatures?released=1", type: .normal)
    }

    private func rows(_ records: [SignatureRecord], in language: Language) async throws -> [Row] {
        let texts = services.renderer.texts(language)
        let format = Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: TimeZone(identifier: "UTC") ?? .current)
        var titles: [Int64: String] = [:]
        var rows: [Row] = []
        for record in records {
            if titles[record.petitionID] == nil, let petition = try await services.store.petition(id: record.petitionID) {
                titles[record.petitionID] = try await services.directory.content(slug: petition.slug)?.text(.fallback)?.title ?? petition.slug
            }
            rows.append(
                Row(
                    id: record.id,
                    petition: titles[record.petitionID] ?? "",
                    status: texts["signature_status_\(record.standing)"] ?? record.standing,
                    held: record.status == .held,
                    name: record.name,
                    email: record.email,
                    country: Country(code: record.country)?.name(in: language) ?? record.country,
                    city: record.city ?? "",
                    comment: record.comment ?? "",
                    reason: record.holdReason.flatMap { texts["hold_reason_\($0.replacingOccurrences(of: "-", with: "_"))"] } ?? "",
                    number: record.signerNumber.map { "#\($0)" } ?? "",
                    signedAt: record.createdAt.formatted(format),
                    confirmedAt: record.confirmedAt?.formatted(format) ?? ""
                )
            )
        }
        return rows
    }
}
