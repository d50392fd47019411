import Foundation
import VigilCore
import VigilStore

/// The progress toward the goal, in words and numbers of the page's language.
struct ProgressView {
    struct Part {
        let text: String
        let note: String?
        let url: String?
    }

    let headline: String
    let percent: Int
    /// Width of the bar's fill, as a CSS percentage.
    let barWidth: String
    let barLabel: String
    let parts: [Part]
    let remaining: String
    let total: Int
    let goal: Int

    init(content: PetitionContent, counts: PetitionCounts, language: Language, catalogue: MessageCatalogue) {
        let progress = PetitionProgress(
            goal: content.petition.goal,
            confirmedHere: counts.confirmed,
            externalTallies: content.externalTallies
        )
        let locale = language.locale
        let number = { (value: Int) in value.formatted(.number.locale(locale)) }
        let day = { (date: Date) in
            date.formatted(Date.FormatStyle(date: .long, time: .omitted, timeZone: TimeZone(identifier: "UTC") ?? .current).locale(locale))
        }
        total = progress.total
        goal = progress.goal
        percent = progress.percentOfGoal
        barWidth = String(format: "%.1f%%", progress.fractionOfGoal * 100)
        headline = catalogue.text(
            "progress_total", count: progress.total, in: language, ["goal": number(progress.goal)]
        )
        barLabel = catalogue.text("progress_bar_label", in: language, ["percent": number(progress.percentOfGoal)])
        // Online is always named, so a reader sees what was signed here even at zero; paper and
        // partner sites only once they brought something.
        let byChannel = ChannelCounts(counts)
        var parts = [Part(text: catalogue.text("progress_here", count: byChannel.online, in: language), note: nil, url: nil)]
        if byChannel.paper > 0 {
            parts.append(Part(text: catalogue.text("progress_paper", count: byChannel.paper, in: language), note: nil, url: nil))
        }
        if byChannel.partner > 0 {
            parts.append(Part(text: catalogue.text("progress_partner", count: byChannel.partner, in: language), note: nil, url: nil))
        }
        for tally in content.externalTallies {
            let note = tally.countedOn.map { catalogue.text("tally_counted_on", in: language, ["date": day($0)]) }
                ?? catalogue.text("tally_date_unknown", in: language, ["date": day(tally.recordedOn)])
            parts.append(
                Part(
                    text: catalogue.text("progress_elsewhere", count: tally.count, in: language, ["source": tally.sourceName]),
                    note: note,
                    url: tally.sourceURL
                )
            )
        }
        self.parts = parts
        remaining = progress.remaining > 0
            ? catalogue.text("progress_remaining", count: progress.remaining, in: language)
            : catalogue.text("progress_goal_reached", in: language)
    }
}

/// A petition's confirmed signatures by the way they came: signed online here, on paper, or on
/// a partner site.
struct ChannelCounts {
    let online: Int
    let paper: Int
    let partner: Int

    init(_ counts: PetitionCounts) {
        paper = counts.byChannel[TallyEntry.Channel.paper.name] ?? 0
        partner = counts.byChannel[TallyEntry.Channel.partner.name] ?? 0
        // Whatever is not paper or partner was signed online, so the parts always add up to the count.
        online = counts.confirmed - paper - partner
    }
}
