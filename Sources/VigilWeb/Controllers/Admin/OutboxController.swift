import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// Outgoing e-mail in the console: how many messages wait, are being sent, were sent and failed;
/// the failed ones and those waiting for a retry, with the mail server's answer and the
/// recipient masked; and a button that puts failed messages back in the queue once whatever
/// made them fail is fixed. Every retry is in the audit log.
struct OutboxController {
    let services: VigilServices
    static let shown = 100

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        let group = router.group("/admin/outbox").add(middleware: PermissionMiddleware(permission: .manageOutbox))
        group.get(use: page)
        group.post("retry-failed", use: retryAll)
        group.post("{id}/retry", use: retry)
    }

    struct Row {
        let id: Int64
        let kind: String
        let recipient: String
        let attempts: Int
        let error: String
        let createdAt: String
        let nextAttemptAt: String
    }

    struct Body {
        let summary: OutboxSummary
        let failed: [Row]
        /// Messages that failed at least once and wait for their next attempt.
        let retrying: [Row]
        let canRetryAll: Bool
        let hasRetrying: Bool
        /// How long sent and failed messages stay.
        let history: String
    }

    @Sendable func page(request: Request, context: VigilRequestContext) async throws -> HTML {
        let retried = request.uri.queryParameters["retried"].flatMap { Int($0) }
        let notice = retried.map { services.renderer.catalogue.text("admin_outbox_retried", count: $0, in: context.consoleLanguage) }
        return try await render(context: context, notice: notice)
    }

    /// Puts one failed message back in the queue.
    @Sendable func retry(request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try await services.verifiedForm(request, context: context)
        guard let id = Int64(try context.parameters.require("id")) else {
            return try await refuse("admin_outbox_unknown", status: .notFound, request: request, context: context)
        }
        var audit = context.auditActor(request, services)
        audit.action = "mail.retried"
        do {
            try await services.store.retryFailedMail(id: id, audit: audit)
        } catch StoreError.notFound {
            return try await refuse("admin_outbox_unknown", status: .notFound, request: request, context: context)
        } catch StoreError.conflict {
            return try await refuse("admin_outbox_not_failed", status: .conflict, request: request, context: context)
        }
        return Response.redirect(to: "/admin/outbox?retried=1", type: .normal)
    }

    /// Puts every failed message back in the queue.
    @Sendable func retryAll(request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try await services.verifiedForm(request, context: context)
        var audit = context.auditActor(request, services)
        audit.action = "mail.retried-all"
        let count = try await services.store.retryAllFailedMail(audit: audit)
        return Response.redirect(to: "/admin/outbox?retried=\(count)", type: .normal)
    }

    /// The page again, with what was wrong with the request, and nothing changed.
    private func refuse(
        _ key: String, status: HTTPResponse.Status, request: Request, context: VigilRequestContext
    ) async throws -> Response {
        try await render(context: context, error: services.renderer.catalogue.text(key, in: context.consoleLanguage), status: status)
            .response(from: request, context: context)
    }

    private func render(
        context: VigilRequestContext, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> HTML {
        let store = services.store
        let failed = try await store.outboxEntries(status: .failed, limit: Self.shown)
        let retrying = try await store.outboxEntries(status: .queued, limit: Self.shown).filter { $0.attempts > 0 }
        return try services.adminPage(
            "admin-outbox", titleKey: "admin_outbox_title", path: "/admin/outbox", context: context,
            body: Body(
                summary: try await store.outboxSummary(),
                failed: rows(failed, in: context.consoleLanguage),
                retrying: rows(retrying, in: context.consoleLanguage),
                canRetryAll: !failed.isEmpty,
                hasRetrying: !retrying.isEmpty,
                history: services.renderer.catalogue.text(
                    "admin_outbox_history", count: services.configuration.mailHistoryDays, in: context.consoleLanguage
                )
            ),
            notice: notice,
            error: error,
            status: status
        )
    }

    private func rows(_ entries: [OutboxEntry], in language: Language) -> [Row] {
        let texts = services.renderer.texts(language)
        let format = Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: TimeZone(identifier: "UTC") ?? .current)
        return entries.map { entry in
            Row(
                id: entry.id,
                kind: texts["admin_outbox_kind_\(entry.kind.rawValue.replacingOccurrences(of: "-", with: "_"))"] ?? entry.kind.rawValue,
                recipient: entry.maskedRecipient,
                attempts: entry.attempts,
                error: entry.lastError ?? "",
                createdAt: entry.createdAt.formatted(format),
                nextAttemptAt: entry.nextAttemptAt.formatted(format)
            )
        }
    }
}
