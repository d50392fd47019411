import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// The audit log for admins: every staff action, newest first, and its export as CSV.
/// Nothing here changes it: the log is append-only down to the database.
struct AuditController {
    let services: VigilServices
    static let pageSize = 100

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        let group = router.group("/admin/audit").add(middleware: PermissionMiddleware(permission: .viewAuditLog))
        group.get(use: list)
        router.group("/admin/audit.csv").add(middleware: PermissionMiddleware(permission: .viewAuditLog)).get(use: export)
    }

    struct Row {
        let id: Int64
        let at: String
        let actor: String
        let action: String
        let subject: String
        let details: String
        let client: String
    }

    struct Body {
        let rows: [Row]
        let older: String?
    }

    @Sendable func list(request: Request, context: VigilRequestContext) async throws -> HTML {
        let before = request.uri.queryParameters["before"].flatMap { Int64(String($0)) }
        let entries = try await services.store.auditLog(limit: Self.pageSize, before: before)
        let format = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current)
        let rows = entries.map { entry in
            Row(
                id: entry.id, at: entry.at.formatted(format), actor: entry.actor, action: entry.action,
                subject: entry.subject ?? "", details: entry.details ?? "", client: String((entry.clientHash ?? "").prefix(12))
            )
        }
        return try services.adminPage(
            "admin-audit", titleKey: "admin_audit_title", path: "/admin/audit", context: context,
            body: Body(rows: rows, older: entries.count == Self.pageSize ? entries.last.map { "/admin/audit?before=\($0.id)" } : nil)
        )
    }

    /// The whole log as CSV (RFC 4180), for keeping outside Vigil.
    @Sendable func export(request: Request, context: VigilRequestContext) async throws -> Response {
        var lines = ["id,at,staff_id,actor,action,subject,details,client_hash"]
        var before: Int64?
        let format = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current)
        while true {
            let entries = try await services.store.auditLog(limit: 1000, before: before)
            for entry in entries {
                let fields = [
                    String(entry.id), entry.at.formatted(format), entry.staffID.map(String.init) ?? "", entry.actor, entry.action,
                    entry.subject ?? "", entry.details ?? "", entry.clientHash ?? "",
                ]
                lines.append(fields.map(Self.csvField).joined(separator: ","))
            }
            guard entries.count == 1000, let last = entries.last else { break }
            before = last.id
        }
        var record = context.auditActor(request, services)
        record.action = "audit.exported"
        try await services.store.audit(record)
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"vigil-audit-log.csv\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\r\n") + "\r\n")))
    }

    /// A CSV field, quoted when it must be. A leading `=`, `+`, `-` or `@` is defused with an
    /// apostrophe, so a spreadsheet never runs text typed by someone else as a formula.
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
