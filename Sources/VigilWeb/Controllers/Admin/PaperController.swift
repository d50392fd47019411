import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// Paper signatures in the console. A coordinator (or an editor) sends a batch: the sheet typed
/// into CSV, the scans of the sheets and who carried them; someone else reviews it against the
/// scans and accepts or rejects it. A coordinator sees their own committee's batches only.
struct PaperController {
    let services: VigilServices

    /// The largest upload: a full sheet and scans up to ``PaperScan/maximumTotalBytes``.
    static let maximumUploadBytes = PaperSheet.maximumBytes + PaperScan.maximumTotalBytes + 64 * 1024

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        let paper = router.group("/admin/paper").add(middleware: PermissionMiddleware(anyOf: [.submitPaper, .reviewPaper]))
        paper.get(use: list)
        paper.get("template.csv", use: template)
        paper.get("{id}", use: show)
        paper.get("{id}/scans/{position}", use: scan)
        router.group("/admin/paper").add(middleware: PermissionMiddleware(permission: .submitPaper)).post(use: submit)
        router.group("/admin/paper").add(middleware: PermissionMiddleware(permission: .reviewPaper)).post("{id}/review", use: review)
    }

    struct BatchRow {
        let id: Int64
        let committee: String?
        let status: String
        let statusClass: String
        let rows: String
        let counted: String?
        let submitted: String
    }

    struct ListBody {
        let batches: [BatchRow]
        let hasBatches: Bool
        let form: UploadForm?
    }

    /// The upload form as shown: the values typed and the error beside the refused field.
    struct UploadForm {
        let values: [String: String]
        let errors: [String: String]
        let committees: [SelectOption]
        /// Whether to ask which committee: not for a coordinator, whose batches are their committee's.
        let choosesCommittee: Bool
        let limits: String
    }

    struct RowView {
        let line: Int
        let name: String
        let country: String
        let city: String
        let date: String
        let email: String?
        let duplicate: Bool
    }

    struct ScanView {
        /// Where to download it; none once the retention rule erased it.
        let path: String?
        let fileName: String
        let size: String
        let hash: String
        /// Photographs are shown beside the rows, so the reviewer compares without downloading.
        let isImage: Bool
    }

    struct ShowBody {
        let id: Int64
        let status: String
        let statusClass: String
        let committee: String?
        let collectedBy: String
        let collectedOn: String
        let receivedBy: String
        let receivedOn: String
        let note: String?
        let submitted: String
        let sheetHash: String
        let scans: [ScanView]
        let rows: [RowView]
        let duplicates: String
        let hasDuplicates: Bool
        let reviewed: String?
        let reviewNote: String?
        let counted: String?
        /// Whether the member may review it now; otherwise ``reviewBlocked`` may say why not.
        let mayReview: Bool
        let reviewBlocked: String?
        /// Says when the retention rule erased the sheet and the scans, if it did.
        let erased: String?
    }

    @Sendable func list(request: Request, context: VigilRequestContext) async throws -> HTML {
        let notice = request.uri.queryParameters["sent"] == nil ? nil : text("admin_paper_sent", context)
        return try await listPage(context: context, form: try await uploadForm(values: [:], errors: [:], context: context), notice: notice)
    }

    @Sendable func template(request: Request, context: VigilRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"paper-signatures.csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: PaperSheet.template)))
    }

    @Sendable func submit(request: Request, context: VigilRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: Self.maximumUploadBytes)
        let upload: MultipartForm
        do {
            upload = try MultipartForm(body, contentType: request.headers[.contentType])
        } catch {
            // No browser sends such a body: there is no form to show again.
            throw HTTPError(.badRequest)
        }
        let fields = upload.textFields
        guard services.csrf.verify(token: fields[CSRFProtection.fieldName], secret: context.csrfSecret), !context.csrfSecretIsNew else {
            throw HTTPError(.forbidden)
        }
        guard let member = context.staff?.member else { throw HTTPError(.forbidden) }
        do {
            let committeeID = try await chosenCommittee(fields["committee"], member: member)
            guard let petitionID = try await committeePetition(committeeID) else { throw HTTPError(.conflict) }
            let custody = try PaperCustody.checked(
                collectedBy: fields["collected_by"] ?? "", collectedOn: fields["collected_on"] ?? "",
                receivedBy: fields["received_by"] ?? "", receivedOn: fields["received_on"] ?? "", today: services.now()
            )
            guard let sheet = upload.files(named: "sheet").first else { throw PaperBatchProblem(.required, field: .sheet) }
            var scans: [PaperScan] = []
            for file in upload.files(named: "scans") {
                scans.append(try PaperScan(fileName: file.fileName ?? "", content: file.content))
            }
            let batch = try await services.store.submitPaperBatch(
                PaperBatchSubmission(
                    petitionID: petitionID, committeeID: committeeID, sheet: sheet.content, scans: scans, custody: custody,
                    note: fields["note"]
                ),
                audit: context.auditActor(request, services)
            )
            return Response.redirect(to: "/admin/paper/\(batch.id)?sent=1", type: .normal)
        } catch let problem as PaperBatchProblem {
            var values: [String: String] = [:]
            for field in ["committee", "collected_by", "collected_on", "received_by", "received_on", "note"] { values[field] = fields[field] ?? "" }
            let message = message(problem, context)
            return try await listPage(
                context: context, form: try await uploadForm(values: values, errors: [problem.field.rawValue: message], context: context),
                error: message, status: .unprocessableContent
            ).response(from: request, context: context)
        }
    }

    @Sendable func show(request: Request, context: VigilRequestContext) async throws -> HTML {
        let batch = try await visibleBatch(context)
        let notice: String? = request.uri.queryParameters["sent"] != nil ? text("admin_paper_sent", context)
            : request.uri.queryParameters["reviewed"] != nil ? text("admin_paper_reviewed", context) : nil
        return try await showPage(batch, context: context, notice: notice)
    }

    @Sendable func review(request: Request, context: VigilRequestContext) async throws -> Response {
        let batch = try await visibleBatch(context)
        let body = try await services.verifiedForm(request, context: context)
        let accept: Bool
        switch body["decision"] {
        case "accept": accept = true
        case "reject": accept = false
        default: throw HTTPError(.badRequest)
        }
        do {
            _ = try await services.store.reviewPaperBatch(
                id: batch.id, accept: accept, note: body["note"] ?? "", audit: context.auditActor(request, services)
            )
            return Response.redirect(to: "/admin/paper/\(batch.id)?reviewed=1", type: .normal)
        } catch let problem as PaperBatchProblem {
            return try await showPage(batch, context: context, error: message(problem, context), status: .unprocessableContent)
                .response(from: request, context: context)
        }
    }

    @Sendable func scan(request: Request, context: VigilRequestContext) async throws -> Response {
        let batch = try await visibleBatch(context)
        guard let position = Int(try context.parameters.require("position")),
              let (scan, content) = try await services.store.paperScan(batchID: batch.id, position: position)
        else { throw HTTPError(.notFound) }
        var headers = HTTPFields()
        headers[.contentType] = scan.mediaType.rawValue
        // Opened as a download, never as a page of this site: a crafted PDF cannot script the console.
        headers[.contentDisposition] = "attachment; filename=\"\(scan.fileName)\""
        headers[.contentSecurityPolicy] = "sandbox; default-src 'none'"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: content)))
    }

    // MARK: Who sees what

    /// The batch named in the path, if the member may see it: a coordinator only their committee's.
    private func visibleBatch(_ context: VigilRequestContext) async throws -> PaperBatch {
        guard let id = Int64(try context.parameters.require("id")), let batch = try await services.store.paperBatch(id: id) else {
            throw HTTPError(.notFound)
        }
        guard let member = context.staff?.member else { throw HTTPError(.forbidden) }
        if !seesEveryBatch(member), batch.committeeID == nil || batch.committeeID != member.committeeID { throw HTTPError(.forbidden) }
        return batch
    }

    private func seesEveryBatch(_ member: StaffMember) -> Bool {
        member.role.may(.reviewPaper) || member.role.may(.manageCommittees)
    }

    /// The committee a batch is sent for: a coordinator's own, whatever the form says; for
    /// other staff, the one chosen, if any.
    private func chosenCommittee(_ chosen: String?, member: StaffMember) async throws -> Int64? {
        if !seesEveryBatch(member) {
            guard let own = member.committeeID else { throw PaperBatchProblem(.required, field: .committee) }
            return own
        }
        guard let chosen, !chosen.isEmpty else { return nil }
        guard let id = Int64(chosen), services.committees.all.contains(where: { $0.id == id }) else {
            throw PaperBatchProblem(.required, field: .committee)
        }
        return id
    }

    /// The petition a batch belongs to: its committee's, or the first public petition.
    private func committeePetition(_ committeeID: Int64?) async throws -> Int64? {
        if let committeeID { return services.committees.all.first { $0.id == committeeID }?.petitionID }
        for slug in try await services.store.petitionSlugs() {
            if let petition = try await services.store.petition(slug: slug) { return petition.id }
        }
        return nil
    }

    // MARK: Pages

    private func uploadForm(values: [String: String], errors: [String: String], context: VigilRequestContext) async throws -> UploadForm? {
        guard let member = context.staff?.member, member.role.may(.submitPaper) else { return nil }
        let chosen = values["committee"] ?? ""
        let language = context.consoleLanguage
        let megabytes = { (bytes: Int) in (bytes / 1_048_576).formatted(.number.locale(language.locale)) }
        return UploadForm(
            values: values,
            errors: errors,
            committees: services.committees.all.map {
                SelectOption(value: String($0.id), label: $0.details.name, selected: String($0.id) == chosen)
            },
            choosesCommittee: seesEveryBatch(member) && !services.committees.all.isEmpty,
            limits: services.renderer.catalogue.text(
                "admin_paper_scan_limits", in: language,
                [
                    "count": PaperScan.maximumCount.formatted(.number.locale(language.locale)),
                    "each": megabytes(PaperScan.maximumBytes), "total": megabytes(PaperScan.maximumTotalBytes),
                ]
            )
        )
    }

    private func listPage(
        context: VigilRequestContext, form: UploadForm?, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> HTML {
        guard let member = context.staff?.member else { throw HTTPError(.forbidden) }
        let batches = seesEveryBatch(member)
            ? try await services.store.paperBatches()
            : try await member.committeeID.asyncMap { try await services.store.paperBatches(committeeID: $0) } ?? []
        let rows = batchRows(batches, context)
        return try services.adminPage(
            "admin-paper", titleKey: "admin_paper_title", path: "/admin/paper", context: context,
            body: ListBody(batches: rows, hasBatches: !rows.isEmpty, form: form),
            notice: notice, error: error, status: status
        )
    }

    private func showPage(
        _ batch: PaperBatch, context: VigilRequestContext, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> HTML {
        let language = context.consoleLanguage
        let rows = try await services.store.paperRows(batchID: batch.id)
        let day = Date.FormatStyle(date: .abbreviated, time: .omitted, timeZone: TimeZone(identifier: "UTC") ?? .current).locale(language.locale)
        let submitter = try await services.store.staffMember(id: batch.submittedBy)?.email ?? "#\(batch.submittedBy)"
        let reviewer = try await batch.reviewedBy.asyncMap { try await services.store.staffMember(id: $0)?.email ?? "#\($0)" }
        let member = context.staff?.member
        let isSubmitter = member?.id == batch.submittedBy
        let duplicates = rows.filter(\.isDuplicate).count
        return try services.adminPage(
            "admin-paper-batch", titleKey: "admin_paper_batch_title", path: "/admin/paper/\(batch.id)", context: context,
            body: ShowBody(
                id: batch.id,
                status: statusLabel(batch.status, context),
                statusClass: batch.status.rawValue,
                committee: committeeName(batch.committeeID),
                collectedBy: batch.custody.collectedBy,
                collectedOn: batch.custody.collectedOn.formatted(day),
                receivedBy: batch.custody.receivedBy,
                receivedOn: batch.custody.receivedOn.formatted(day),
                note: batch.note,
                submitted: "\(batch.submittedAt.formatted(dateFormat(context))), \(submitter)",
                sheetHash: batch.sheetHash,
                scans: batch.scans.map { scan in
                    ScanView(
                        path: batch.erasedAt == nil ? "/admin/paper/\(batch.id)/scans/\(scan.position)" : nil,
                        fileName: scan.fileName,
                        size: scan.byteCount.formatted(.byteCount(style: .file).locale(language.locale)),
                        hash: scan.contentHash,
                        isImage: scan.mediaType != .pdf && batch.erasedAt == nil
                    )
                },
                rows: rows.map { row in
                    RowView(
                        line: row.signature.line,
                        name: row.signature.name,
                        country: row.signature.country.name(in: language),
                        city: row.signature.city,
                        date: row.signature.signedOn.formatted(day),
                        email: row.signature.email?.address,
                        duplicate: row.isDuplicate
                    )
                },
                duplicates: services.renderer.catalogue.text("admin_paper_duplicates", count: batch.duplicates ?? duplicates, in: language),
                hasDuplicates: (batch.duplicates ?? duplicates) > 0,
                reviewed: batch.reviewedAt.map { "\($0.formatted(dateFormat(context))), \(reviewer ?? "")" },
                reviewNote: batch.reviewNote,
                counted: batch.counted.map { services.renderer.catalogue.text("admin_paper_counted", count: $0, in: language) },
                mayReview: batch.status == .submitted && batch.erasedAt == nil && !isSubmitter && (member?.role.may(.reviewPaper) ?? false),
                reviewBlocked: batch.status == .submitted && isSubmitter && (member?.role.may(.reviewPaper) ?? false)
                    ? text("paper_problem_reviewer_is_submitter", context) : nil,
                erased: batch.erasedAt.map {
                    services.renderer.catalogue.text("admin_paper_erased", in: language, ["date": $0.formatted(day)])
                }
            ),
            notice: notice, error: error, status: status
        )
    }

    /// The batches as the list shows them; a committee's page shows its own the same way.
    func batchRows(_ batches: [PaperBatch], _ context: VigilRequestContext) -> [BatchRow] {
        batches.map { batch in
            BatchRow(
                id: batch.id,
                committee: committeeName(batch.committeeID),
                status: statusLabel(batch.status, context),
                statusClass: batch.status.rawValue,
                rows: number(batch.rowCount, context),
                counted: batch.counted.map { number($0, context) },
                submitted: batch.submittedAt.formatted(dateFormat(context))
            )
        }
    }

    // MARK: Words

    private func message(_ problem: PaperBatchProblem, _ context: VigilRequestContext) -> String {
        let language = context.consoleLanguage
        var values = problem.messageValues
        for key in ["maximum", "line", "first_line", "expected", "found"] {
            if let value = values[key].flatMap(Int.init) { values[key] = value.formatted(.number.locale(language.locale)) }
        }
        let explanation = services.renderer.catalogue.text(problem.messageKey, in: language, values)
        guard case .sheet(let sheetProblem) = problem.kind, let line = sheetProblem.line else { return explanation }
        var place = ["line": line.formatted(.number.locale(language.locale)), "problem": explanation]
        if let column = sheetProblem.column {
            place["column"] = column.rawValue
            return services.renderer.catalogue.text("paper_sheet_at_line_column", in: language, place)
        }
        return services.renderer.catalogue.text("paper_sheet_at_line", in: language, place)
    }

    private func statusLabel(_ status: PaperBatch.Status, _ context: VigilRequestContext) -> String {
        text("admin_paper_status_\(status.rawValue)", context)
    }

    private func committeeName(_ id: Int64?) -> String? {
        id.flatMap { id in services.committees.all.first { $0.id == id }?.details.name }
    }

    private func text(_ key: String, _ context: VigilRequestContext) -> String {
        services.renderer.catalogue.text(key, in: context.consoleLanguage)
    }

    private func number(_ value: Int, _ context: VigilRequestContext) -> String {
        value.formatted(.number.locale(context.consoleLanguage.locale))
    }

    private func dateFormat(_ context: VigilRequestContext) -> Date.FormatStyle {
        Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: TimeZone(identifier: "UTC") ?? .current)
            .locale(context.consoleLanguage.locale)
    }
}
