import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// `/verify`: checks a receipt against the latest signed tree head and says in plain words
/// what was checked and what it proves. Works without JavaScript: a form that posts back.
///
/// The nonce and address typed here are used for the check and never stored or logged.
struct VerifyController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/verify", use: show)
        router.post("/verify", use: check)
    }

    /// The form; with `leaf_hash` in the address (the link in a receipt), the check's result too.
    @Sendable func show(request: Request, context: VigilRequestContext) async throws -> HTML {
        let query = request.uri.queryParameters
        let content = try await petitionContent(query["petition"].map(String.init))
        let form = VerifyForm(leafHash: query["leaf_hash"].map(String.init) ?? "", nonce: "", email: "")
        return try await render(request: request, context: context, content: content, form: form, run: !form.leafHash.isEmpty)
    }

    /// The posted form: the check's result, or the form again with what to correct.
    @Sendable func check(request: Request, context: VigilRequestContext) async throws -> HTML {
        let body = try await services.verifiedForm(request, context: context)
        let content = try await petitionContent(body["petition"])
        let form = VerifyForm(leafHash: body["leaf_hash"] ?? "", nonce: body["nonce"] ?? "", email: body["email"] ?? "")
        return try await render(request: request, context: context, content: content, form: form, run: true)
    }

    private func petitionContent(_ slug: String?) async throws -> PetitionContent {
        if let slug { return try await services.content(slug: slug) }
        guard let slug = try await services.directory.defaultSlug() else { throw HTTPError(.notFound) }
        return try await services.content(slug: slug)
    }

    private func render(
        request: Request, context: VigilRequestContext, content: PetitionContent, form: VerifyForm, run: Bool
    ) async throws -> HTML {
        let petition = content.petition
        let language = Language.chosen(for: request, context: context, offered: petition.languages, default: petition.defaultLanguage)
        let catalogue = services.renderer.catalogue
        var problems: [String] = []
        var result: VerifyResultView?
        if run {
            switch form.parsed() {
            case .failure(let failure):
                problems = failure.keys.map { catalogue.text($0, in: language) }
            case .success(let input):
                result = try await verify(input, petition: petition, language: language)
            }
        }
        let title = catalogue.text("verify_title", in: language)
        let key = services.logKey.publicKey
        let page = VerifyPage(
            layout: services.renderer.layout(language: language, title: title, path: request.uri.path, offered: petition.languages),
            t: services.renderer.texts(language),
            title: title,
            petition: petition.slug,
            petitionTitle: content.text(language)?.title ?? petition.slug,
            petitionURL: language.path("/petitions/\(petition.slug)"),
            action: language.path("/verify"),
            csrf: services.formToken(context),
            form: form,
            problems: problems,
            result: result,
            keyText: catalogue.text("verify_key", in: language, ["key": key.base64, "id": String(key.keyID.prefix(16))]),
            hasProblems: !problems.isEmpty
        )
        let status: HTTPResponse.Status = problems.isEmpty ? .ok : .unprocessableContent
        return HTML(status: status, try services.renderer.render("verify", page), headers: services.languageHeaders(language))
    }

    private func verify(_ input: VerifyForm.Input, petition: Petition, language: Language) async throws -> VerifyResultView {
        let store = services.store
        let catalogue = services.renderer.catalogue
        let text = { (key: String, values: [String: String]) in catalogue.text(key, in: language, values) }
        let number = { (value: UInt64) in value.formatted(.number.locale(language.locale)) }
        guard let index = try await store.tallyLeafIndex(petitionID: petition.id, leafHash: input.leafHash) else {
            return VerifyResultView(passed: false, verdict: text("verify_not_found", [:]), checks: [])
        }
        guard let head = try await store.latestTreeHead(petitionID: petition.id), index < head.head.size else {
            let head = try await store.latestTreeHead(petitionID: petition.id)
            return VerifyResultView(
                passed: false,
                verdict: text("verify_not_yet_signed", [
                    "index": number(index),
                    "size": number(head?.head.size ?? 0),
                    "minutes": String(max(1, services.configuration.treeHeadIntervalSeconds / 60)),
                ]),
                checks: []
            )
        }
        let proof = try await store.inclusionProof(petitionID: petition.id, leafIndex: index, size: head.head.size)
        guard let standing = try await store.leafStanding(petitionID: petition.id, leafIndex: index) else {
            return VerifyResultView(passed: false, verdict: text("verify_not_found", [:]), checks: [])
        }
        let key = services.logKey.publicKey
        let check = ReceiptCheck(
            leafHash: input.leafHash, leafIndex: index, proof: proof, head: head, key: key,
            entry: standing.entry.bytes, nonce: input.nonce, normalisedEmail: input.email?.normalised, petitionID: petition.id
        )
        let signedAt = Date(timeIntervalSince1970: Double(head.head.timestamp) / 1000).formatted(
            Date.FormatStyle(date: .long, time: .shortened, timeZone: TimeZone(identifier: "UTC") ?? .current).locale(language.locale)
        ) + " UTC"
        let headValues = [
            "time": signedAt, "size": number(head.head.size), "root": head.head.root.hex, "key": String(key.keyID.prefix(16)),
        ]
        var checks = [
            CheckLine(passed: check.headSigned, text: text(check.headSigned ? "check_head_signed" : "check_head_unsigned", headValues)),
            CheckLine(
                passed: check.included,
                text: text(check.included ? "check_included" : "check_not_included", [
                    "index": number(index), "steps": String(proof.count),
                ])
            ),
        ]
        if let matches = check.entryMatchesLeaf {
            checks.append(CheckLine(passed: matches, text: text(matches ? "check_entry" : "check_entry_mismatch", ["index": number(index)])))
        }
        if let matches = check.commitmentMatches {
            checks.append(CheckLine(passed: matches, text: text(matches ? "check_commitment" : "check_commitment_mismatch", [:])))
        }
        let revoked = standing.revocation
        checks.append(
            CheckLine(
                passed: revoked == nil,
                text: revoked.map { text("check_revoked_\($0.reason.name)", ["day": $0.day.iso]) } ?? text("check_counted", [:])
            )
        )
        let passed = check.passed && revoked == nil
        let verdict = if passed {
            text("verify_passed", [:])
        } else if check.passed, let revoked {
            text("verify_revoked_\(revoked.reason.name)", ["day": revoked.day.iso])
        } else {
            text("verify_failed", [:])
        }
        return VerifyResultView(passed: passed, verdict: verdict, checks: checks)
    }
}

/// What was typed into the form.
struct VerifyForm {
    let leafHash: String
    let nonce: String
    let email: String

    struct Input {
        let leafHash: MerkleHash
        let nonce: [UInt8]?
        let email: EmailAddress?
    }

    /// The input checked, or the catalogue keys of what is wrong with it.
    func parsed() -> Result<Input, ParseProblems> {
        var problems: [String] = []
        let hash = MerkleHash(hex: leafHash.trimmingCharacters(in: .whitespacesAndNewlines))
        if hash == nil { problems.append("verify_leaf_hash_malformed") }
        let nonceText = nonce.trimmingCharacters(in: .whitespacesAndNewlines)
        let nonceBytes = [UInt8](hexadecimal: nonceText)
        if !nonceText.isEmpty, nonceBytes?.count != 32 { problems.append("verify_nonce_malformed") }
        let emailText = email.trimmingCharacters(in: .whitespacesAndNewlines)
        let address = try? EmailAddress(emailText)
        if !emailText.isEmpty, address == nil { problems.append("field_email_malformed") }
        if nonceText.isEmpty != emailText.isEmpty { problems.append("verify_nonce_and_email") }
        guard problems.isEmpty, let hash else { return .failure(ParseProblems(keys: problems)) }
        return .success(Input(leafHash: hash, nonce: nonceText.isEmpty ? nil : nonceBytes, email: address))
    }

    struct ParseProblems: Error {
        let keys: [String]
    }
}

struct VerifyPage {
    let layout: Layout
    let t: [String: String]
    let title: String
    let petition: String
    let petitionTitle: String
    let petitionURL: String
    let action: String
    let csrf: String
    let form: VerifyForm
    let problems: [String]
    let result: VerifyResultView?
    let keyText: String
    let hasProblems: Bool
}

struct VerifyResultView {
    let passed: Bool
    let verdict: String
    let checks: [CheckLine]
    /// Stored, not computed: Mustache sees stored properties only.
    let hasChecks: Bool

    init(passed: Bool, verdict: String, checks: [CheckLine]) {
        self.passed = passed
        self.verdict = verdict
        self.checks = checks
        hasChecks = !checks.isEmpty
    }
}

struct CheckLine {
    let passed: Bool
    let text: String
}
