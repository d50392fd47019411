import Hummingbird
import VigilCore
import VigilStore

/// The petition page and signing.
struct PetitionController {
    let services: VigilServices

    func addRoutes(to router: some RouterMethods<VigilRequestContext>) {
        router.get("/petitions/{slug}", use: page)
        router.post("/petitions/{slug}/signatures", use: sign)
        router.get("/petitions/{slug}/check-email", use: checkEmail)
    }

    /// The petition with an empty sign form, from the page cache.
    @Sendable func page(request: Request, context: VigilRequestContext) async throws -> HTML {
        let content = try await services.content(slug: context.parameters.require("slug"))
        return try await page(content, referredBy: nil, request: request, context: context)
    }

    /// The petition with an empty sign form, from the page cache; through a committee's referral
    /// link, the form credits that committee.
    func page(_ content: PetitionContent, referredBy committee: Committee?, request: Request, context: VigilRequestContext) async throws -> HTML {
        let language = Language.chosen(for: request, context: context, offered: content.petition.languages, default: content.petition.defaultLanguage)
        let counts = services.store.liveCounts.counts(forPetition: content.petition.id)
        let timeline = try await services.timelines.events(petitionID: content.petition.id)
        let underAttack = services.contentWatcher.underAttack
        let today = Int64(TallyDay(services.now()).daysSince1970)
        // Events are only ever added, so their number tells when the timeline changed; the
        // committees' version, when a name in the league or the referral changed; the day, when
        // the chart's pace must be reckoned again.
        let entry = try await services.pageCache.page(
            "petition:\(content.petition.slug):\(language.tag):\(timeline.count):\(services.committees.version):\(today)"
                + (committee.map { ":c:\($0.code)" } ?? "") + (underAttack ? ":under-attack" : ""),
            version: counts.version
        ) {
            try await renderPage(
                content: content, language: language, counts: counts, form: SignatureForm(), problems: .init(),
                csrf: PageCache.tokenSlot, proofOfWork: underAttack ? PageCache.challengeSlot : nil, timeline: timeline,
                committee: committee
            )
        }
        // Each visitor gets a challenge of their own: a shared one could be solved once for all.
        let page = entry.page(
            token: services.formToken(context),
            challenge: underAttack ? services.proofOfWork.challenge(at: services.now()) : ""
        )
        return HTML(bytes: page, headers: services.languageHeaders(language))
    }

    /// Receives the sign form. A good form is written and answered with a redirect to "check your
    /// e-mail" only after it committed; a bad one is shown again with messages, and nothing is written.
    @Sendable func sign(request: Request, context: VigilRequestContext) async throws -> Response {
        let content = try await services.content(slug: context.parameters.require("slug"))
        let (body, shownAt) = try await services.verifiedSubmission(request, context: context)
        let petition = content.petition
        let language = body["lang"].flatMap(Language.init(rawValue:)).map(petition.language(for:))
            ?? Language.chosen(for: request, context: context, offered: petition.languages, default: petition.defaultLanguage)
        guard petition.state.acceptsSignatures, let textHash = content.textHash(language) else {
            throw HTTPError(.conflict)
        }

        let form = SignatureForm(body)
        // A code that names no committee of this petition (stale, mistyped or forged) credits no one.
        let committee = body["committee"].flatMap(services.committees.committee(code:)).flatMap {
            $0.petitionID == petition.id ? $0 : nil
        }
        let signature: ValidSignature
        switch form.validated(unreadable: SignatureForm.unreadableFields(in: body)) {
        case .success(let valid):
            signature = valid
        case .failure(let problems):
            let counts = services.store.liveCounts.counts(forPetition: petition.id)
            let page = try await renderPage(
                content: content, language: language, counts: counts, form: form, problems: problems,
                csrf: services.formToken(context),
                proofOfWork: services.contentWatcher.underAttack ? services.proofOfWork.challenge(at: services.now()) : nil,
                timeline: try await services.timelines.events(petitionID: petition.id),
                committee: committee
            )
            return HTML(status: .unprocessableContent, page, headers: services.languageHeaders(language))
                .response(from: request, context: context)
        }

        let client = ClientAddress(request: request, context: context, behindProxy: services.configuration.behindProxy)
        let now = services.now()
        // Checked only while the switch is on: a form shown before it was turned off still counts.
        let proofOfWork = services.contentWatcher.underAttack
            ? services.proofOfWork.verify(challenge: body["pow_challenge"] ?? "", counter: body["pow_counter"] ?? "", now: now)
            : nil
        let hold = try await services.signingGuard.holdReason(
            client: client,
            email: signature.email,
            shownAt: shownAt,
            now: now,
            honeypot: body["website"] ?? "",
            proofOfWork: proofOfWork
        )
        let outcome = try await services.store.signatureWriter.sign(
            SigningRequest(
                petitionID: petition.id,
                signature: signature,
                language: language,
                textHash: textHash,
                hold: hold,
                clientHash: hold == nil ? nil : services.clientHash(client),
                networkHash: services.networkHash(client),
                committeeID: committee?.id
            )
        )
        if case .held(let reason) = outcome {
            context.logger.notice("signature held back for review", metadata: ["reason": "\(reason.rawValue)"])
        }
        // Every outcome looks the same to the person signing: who has signed is never revealed.
        return Response.redirect(to: language.path("/petitions/\(petition.slug)/check-email"), type: .normal)
    }

    /// "Check your e-mail", shown after every submission.
    @Sendable func checkEmail(request: Request, context: VigilRequestContext) async throws -> HTML {
        let content = try await services.content(slug: context.parameters.require("slug"))
        let language = Language.chosen(for: request, context: context, offered: content.petition.languages, default: content.petition.defaultLanguage)
        let title = services.renderer.catalogue.text("check_email_title", in: language)
        let page = try services.renderer.render(
            "check-email",
            SimplePage(
                layout: services.renderer.layout(language: language, title: title, path: request.uri.path, offered: content.petition.languages),
                t: services.renderer.texts(language),
                title: title,
                petitionURL: language.path("/petitions/\(content.petition.slug)"),
                petitionTitle: content.text(language)?.title ?? ""
            )
        )
        return HTML(page, headers: services.languageHeaders(language))
    }

    private func renderPage(
        content: PetitionContent,
        language: Language,
        counts: PetitionCounts,
        form: SignatureForm,
        problems: SignatureFormProblems,
        csrf: String,
        proofOfWork: String?,
        timeline: [DeliveryEvent],
        committee: Committee?
    ) async throws -> String {
        guard let text = content.text(language) else { throw HTTPError(.notFound) }
        let formView = SignFormView(
            content: content, language: language, csrf: csrf, form: form, problems: problems,
            proofOfWork: proofOfWork, committee: committee?.code, renderer: services.renderer
        )
        let signers = try await services.store.publicSigners(petitionID: content.petition.id, limit: PetitionPage.shownSigners)
        return try services.renderer.render(
            "petition",
            PetitionPage(
                content: content, text: text, counts: counts, language: language, form: formView,
                timeline: timeline, signers: signers,
                referral: committee, league: services.committees.league(petitionID: content.petition.id, counts: counts),
                today: Int64(TallyDay(services.now()).daysSince1970),
                renderer: services.renderer
            )
        )
    }
}

/// A page with a title and a way back to the petition.
struct SimplePage {
    let layout: Layout
    let t: [String: String]
    let title: String
    let petitionURL: String
    let petitionTitle: String
}

extension VigilServices {
    /// The petition's content, or 404.
    func content(slug: String) async throws -> PetitionContent {
        guard let content = try await directory.publicContent(slug: slug) else { throw HTTPError(.notFound) }
        return content
    }

    /// The form token for this browser.
    func formToken(_ context: VigilRequestContext) -> String {
        csrf.token(for: context.csrfSecret ?? "", at: now())
    }

    func languageHeaders(_ language: Language) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentLanguage] = language.tag
        headers[.vary] = "Accept-Language, Cookie"
        return headers
    }
}
