import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// The delivery dossier from the console: built by the same `DossierBuilder` as
/// `vigil dossier build`, into a file in the scratch folder, sent to the browser as a download
/// and removed once sent.
struct DossierController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.group("/admin/petitions/{slug}/dossier")
            .add(middleware: PermissionMiddleware(permission: .deliverPetitions))
            .post(use: download)
    }

    /// Builds the dossier and answers with it as `<slug>-dossier-<day>.zip`. A POST with the form
    /// token, because building signs a new tree head and is written in the audit log.
    @Sendable func download(request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try await services.verifiedForm(request, context: context)
        guard let petition = try await services.store.petition(slug: try context.parameters.require("slug")) else {
            throw HTTPError(.notFound)
        }
        let name = "\(petition.slug)-dossier-\(TallyDay(services.now()).iso).zip"
        let folder = services.scratchFolder.appendingPathComponent("dossier-\(UUID().uuidString)")
        let body: ResponseBody
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let zip = folder.appendingPathComponent(name)
            let builder = DossierBuilder(
                store: services.store, renderer: services.renderer, key: services.logKey,
                publicURL: services.configuration.publicURL, now: services.now
            )
            let summary = try await builder.build(slug: petition.slug, to: zip)
            var record = context.auditActor(request, services)
            record.action = "dossier.built"
            record.subject = "petition:\(petition.slug)"
            record.details = [
                "tree_size": String(summary.treeHead.head.size),
                "root_hash": summary.treeHead.head.root.hex,
                "counted": String(summary.totals.counted),
                "listed": String(summary.listed),
            ]
            try await services.store.audit(record)
            let file = try await FileIO().loadFile(path: zip.path, context: context)
            body = ResponseBody(contentLength: file.contentLength) { writer in
                // Removed whether or not the browser took it all: it names the signers who chose to be listed.
                defer { try? FileManager.default.removeItem(at: folder) }
                try await file.write(writer)
            }
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/zip"
        headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: body)
    }
}
