import Foundation
import VigilCore
import VigilStore

/// The console's Deliveries page of one petition: each addressee with what was delivered to it
/// and what it answered, and the three forms that record more.
struct DeliveriesPage {
    /// The page's forms, named as in `?saved=` after a change.
    enum Form: String {
        case delivery, answer, delegation
    }

    /// A form sent back: what was typed, and the message for the field at fault.
    struct Rejected {
        let form: Form
        let values: [String: String]
        let field: String
        let message: String
    }

    struct Event {
        let date: String
        let text: String
        let note: String?
    }

    struct AddresseeView {
        let name: String
        let kind: String
        let events: [Event]
        let hasEvents: Bool
    }

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    /// One form as the template shows it: the values to show, and a message beside a refused field.
    struct FormView {
        let values: [String: String]
        let errors: [String: String]
        let hasErrors: Bool
        let addressees: [Option]
        let methods: [Option]
        let priorityCountries: [SignFormView.CountryOption]
        let otherCountries: [SignFormView.CountryOption]
    }

    let slug: String
    let title: String
    let addressees: [AddresseeView]
    let delivery: FormView
    let answer: FormView
    let delegation: FormView
    /// The label of the addressed organisation's states in the country menu, if there is one.
    let priorityLabel: String?
    let maximumText = Store.maximumDeliveryText

    init(
        content: PetitionContent,
        addressees: [Addressee],
        deliveries: [Delivery],
        answers: [DeliveryAnswer],
        rejected: Rejected?,
        today: Date,
        language: Language,
        catalogue: MessageCatalogue
    ) {
        let utc = TimeZone(identifier: "UTC") ?? .current
        let day = Date.FormatStyle(date: .abbreviated, time: .omitted, timeZone: utc)
        func text(_ key: String, _ values: [String: String] = [:]) -> String { catalogue.text(key, in: language, values) }

        slug = content.petition.slug
        title = content.text(language)?.title ?? content.petition.slug
        self.addressees = addressees.map { addressee in
            let delivered = deliveries.filter { $0.addresseeID == addressee.id }.map { delivery in
                let values = ["method": TimelineView.methodName(delivery.method, language: language, catalogue: catalogue),
                              "reference": delivery.reference ?? ""]
                let key = delivery.reference == nil ? "admin_delivery_delivered" : "admin_delivery_delivered_reference"
                return (delivery.deliveredAt, Event(date: delivery.deliveredAt.formatted(day), text: text(key, values), note: delivery.note))
            }
            let answered = answers.filter { $0.addresseeID == addressee.id }.map { answer in
                let key = answer.reference == nil ? "admin_delivery_answered" : "admin_delivery_answered_reference"
                let said = text(key, ["summary": answer.summary, "reference": answer.reference ?? ""])
                return (answer.receivedAt, Event(date: answer.receivedAt.formatted(day), text: said, note: nil))
            }
            // Oldest first; on the same day a delivery comes before the answer to it.
            let events = (delivered + answered).enumerated()
                .sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map { $0.element.1 }
            let kind = switch addressee.kind {
            case .office: text("admin_addressee_office")
            case .delegation:
                text("admin_addressee_delegation", ["country": addressee.country.flatMap { Country(code: $0)?.name(in: language) } ?? ""])
            }
            return AddresseeView(name: addressee.name, kind: kind, events: events, hasEvents: !events.isEmpty)
        }

        func form(_ form: Form, defaults: [String: String]) -> FormView {
            let values = rejected?.form == form ? rejected?.values ?? defaults : defaults
            let errors = rejected?.form == form ? rejected.map { [$0.field: $0.message] } ?? [:] : [:]
            let countries = SignFormView.countryMenu(priority: content.priorityCountries, chosen: values["country"] ?? "", language: language)
            return FormView(
                values: values,
                errors: errors,
                hasErrors: !errors.isEmpty,
                addressees: addressees.map {
                    Option(value: String($0.id), label: $0.name, selected: values["addressee"] == String($0.id))
                },
                methods: Delivery.Method.allCases.map {
                    Option(
                        value: $0.rawValue, label: TimelineView.methodName($0, language: language, catalogue: catalogue),
                        selected: values["method"] == $0.rawValue
                    )
                },
                priorityCountries: countries.priority,
                otherCountries: countries.other
            )
        }
        let todayText = TallyDay(today).iso
        delivery = form(.delivery, defaults: ["date": todayText])
        answer = form(.answer, defaults: ["date": todayText])
        delegation = form(.delegation, defaults: [:])
        priorityLabel = content.priorityCountries.isEmpty
            ? nil : text("country_group_priority", ["organisation": content.petition.organisation?.uppercased() ?? ""])
    }
}
