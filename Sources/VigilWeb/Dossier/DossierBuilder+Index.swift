import Foundation
import VigilCore
import VigilStore

extension DossierBuilder {
    /// The printable document, in the petition's default language, every figure taken from the log.
    func indexPage(petition: Petition, head: SignedTreeHead, totals: TallyTotals, listed: Int) async throws -> DossierIndexPage {
        let language = petition.defaultLanguage
        let catalogue = renderer.catalogue
        let text = { (key: String, values: [String: String]) in catalogue.text(key, in: language, values) }
        let number = { (value: Int) in value.formatted(.number.locale(language.locale)) }
        let dateStyle = Date.FormatStyle(date: .long, time: .omitted, timeZone: TimeZone(identifier: "UTC") ?? .current)
            .locale(language.locale)
        let headDate = Date(timeIntervalSince1970: Double(head.head.timestamp) / 1000)

        guard let current = try await store.currentText(petitionID: petition.id, language: language) else {
            throw DossierError.noPetition(petition.slug)
        }
        let campaign = renderer.campaignNames[language] ?? renderer.campaignNames[.fallback] ?? "Vigil"
        let external = try await store.externalTallies(petitionID: petition.id)
        let externalCount = external.reduce(0) { $0 + $1.count }
        try await store.seedAddressees(petitionID: petition.id)
        let addressees = try await store.addressees(petitionID: petition.id)

        let counted = totals.counted
        let letterValues = [
            "count": number(counted), "external": number(externalCount), "total": number(counted + externalCount),
            "title": current.title, "campaign": campaign, "date": headDate.formatted(dateStyle),
        ]
        let letters = addressees.map { addressee in
            DossierIndexPage.Letter(
                addressee: addressee.name,
                greeting: text("dossier_letter_greeting", [:]),
                paragraphs: ["dossier_letter_1", "dossier_letter_2", "dossier_letter_3", "dossier_letter_4"].map { text($0, letterValues) }
            )
        }

        let versions = try await store.textVersions(petitionID: petition.id)
        let texts = petition.languages.compactMap { language -> DossierIndexPage.TextSection? in
            let ofLanguage = versions.filter { $0.language == language }
            guard let newest = ofLanguage.last else { return nil }
            return DossierIndexPage.TextSection(
                lang: language.tag,
                languageName: language.nativeName,
                title: newest.text.title,
                addressees: newest.text.addressees,
                action: newest.text.action,
                countText: catalogue.text("dossier_text_count", count: totals.byText[newest.hash] ?? 0, in: petition.defaultLanguage),
                olderVersions: ofLanguage.dropLast().compactMap { version in
                    guard let count = totals.byText[version.hash], count > 0 else { return nil }
                    return text("dossier_text_older", ["version": String(version.version), "count": number(count)])
                }
            )
        }

        var rows = TallyEntry.Channel.allCases.map { channel in
            DossierIndexPage.Row(
                label: text("dossier_channel_\(channel.name)", [:]),
                count: number(totals.byChannel[channel.name] ?? 0),
                note: nil
            )
        }
        rows += external.map { tally in
            DossierIndexPage.Row(
                label: text("dossier_external", ["source": tally.sourceName]),
                count: number(tally.count),
                note: tally.note
            )
        }
        let countries = totals.byCountry.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { code, count in
            DossierIndexPage.Row(label: Country(code: code)?.name(in: language) ?? code, count: number(count), note: code)
        }
        // Committee credits are not in the log's entries: they are the counters as the dossier is
        // built, and the page says so. Only committees that agreed to be shown are named.
        let committees = try await store.committees().filter { $0.petitionID == petition.id }
        let credited = try await store.storedCounts(petitionID: petition.id).byCommittee
        let named = committees.filter(\.details.shownInLeague)
            .map { ($0, credited[$0.id] ?? 0) }
            .sorted { ($0.1, $1.0.details.name) > ($1.1, $0.0.details.name) }
        let committeeRows = named.map { committee, count in
            DossierIndexPage.Row(label: committee.details.name, count: number(count), note: PetitionPage.place(of: committee, in: language))
        }
        let committeesNote = committees.isEmpty
            ? text("dossier_no_committees", [:])
            : catalogue.text("dossier_committees_note", count: committees.count - named.count, in: language)
        let timeline = try await store.deliveryTimeline(petitionID: petition.id)
        let deliveries = timeline.map { TimelineView.line($0, language: language, catalogue: catalogue) }
        let keyURL = "\(publicURL)/.well-known/vigil-log-key"
        let treeHead = [
            DossierIndexPage.Row(label: text("dossier_head_log", [:]), count: head.head.log, note: nil),
            DossierIndexPage.Row(label: text("dossier_head_size", [:]), count: number(Int(head.head.size)), note: nil),
            DossierIndexPage.Row(label: text("dossier_head_root", [:]), count: head.head.root.hex, note: nil),
            DossierIndexPage.Row(
                label: text("dossier_head_time", [:]),
                count: "\(head.head.timestamp) (\(Date(timeIntervalSince1970: Double(head.head.timestamp) / 1000).formatted(.iso8601)))",
                note: nil
            ),
            DossierIndexPage.Row(label: text("dossier_head_key", [:]), count: key.publicKey.base64, note: nil),
            DossierIndexPage.Row(label: text("dossier_head_key_id", [:]), count: key.publicKey.keyID, note: nil),
        ]
        let checkValues = ["key_url": keyURL, "slug": petition.slug, "site": publicURL]
        return DossierIndexPage(
            lang: language.tag,
            t: renderer.texts(language),
            title: text("dossier_title", ["title": current.title]),
            petitionTitle: current.title,
            campaign: campaign,
            coverCount: text("dossier_cover_count", letterValues),
            coverDate: text("dossier_cover_date", letterValues),
            letterDate: headDate.formatted(dateStyle),
            letters: letters,
            texts: texts,
            totals: rows,
            grandTotal: DossierIndexPage.Row(label: text("dossier_total", [:]), count: number(counted + externalCount), note: nil),
            countries: countries,
            committees: committeeRows,
            hasCommittees: !committeeRows.isEmpty,
            committeesNote: committeesNote,
            chart: DossierIndexPage.chart(byDay: totals.byDay, language: language, catalogue: catalogue),
            listedNote: catalogue.text("dossier_listed", count: listed, in: language, ["counted": number(counted)]),
            treeHead: treeHead,
            howToCheck: ["dossier_check_1", "dossier_check_2", "dossier_check_3", "dossier_check_4"].map { text($0, checkValues) },
            deliveries: deliveries,
            hasDeliveries: !deliveries.isEmpty
        )
    }
}
