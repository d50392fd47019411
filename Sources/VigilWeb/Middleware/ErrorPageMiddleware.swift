import Hummingbird
import Logging
import VigilCore
import VigilStore

/// Turns errors on HTML routes into pages in the visitor's language that say what happened
/// and lead back to the petition; JSON routes answer with problem documents instead.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext

    let renderer: PageRenderer
    let directory: PetitionDirectory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as APIProblem {
            throw problem
        } catch {
            let status = Self.status(for: error)
            if status == .internalServerError || status == .serviceUnavailable {
                context.logger.error("request failed: \(error)", metadata: ["path": "\(request.uri.path)"])
            }
            if Self.wantsJSON(request) {
                throw APIProblem(status: status, detail: status.reasonPhrase)
            }
            return try await page(for: status, request: request, context: context)
        }
    }

    static func status(for error: any Error) -> HTTPResponse.Status {
        switch error {
        case let error as any HTTPResponseError: error.status
        case StoreError.shuttingDown: .serviceUnavailable
        default: .internalServerError
        }
    }

    static func wantsJSON(_ request: Request) -> Bool {
        let path = request.uri.path
        return path.hasSuffix(".json") || path.hasPrefix("/api/")
    }

    private func page(for status: HTTPResponse.Status, request: Request, context: Context) async throws -> Response {
        let language = Language.chosen(for: request, context: context, offered: renderer.languages, default: .fallback)
        let known: Set<Int> = [400, 403, 404, 409, 413, 500, 503]
        let key = "error_\(known.contains(status.code) ? status.code : (status.code >= 500 ? 500 : 400))"
        let slug = try? await directory.defaultSlug()
        let title = renderer.catalogue.text("\(key)_title", in: language)
        let page = MessagePage(
            layout: renderer.layout(language: language, title: title, path: request.uri.path),
            t: renderer.texts(language),
            title: title,
            message: renderer.catalogue.text("\(key)_body", in: language),
            petitionURL: slug.map { "/petitions/\($0)" },
            petitionTitle: nil
        )
        var headers = HTTPFields()
        if status == .serviceUnavailable { headers[.retryAfter] = "5" }
        return HTML(status: status, try renderer.render("message", page), headers: headers).response(from: request, context: context)
    }
}
