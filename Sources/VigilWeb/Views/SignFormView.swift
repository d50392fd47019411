import VigilCore

/// The sign form as the template shows it: the values typed so far, a message beside each
/// refused field, and the country menu with the addressed organisation's states first.
struct SignFormView {
    struct Field {
        let value: String
        let error: String?
        /// `aria-describedby` ids: the hint, and the error when there is one.
        let describedBy: String
    }

    struct CountryOption {
        let code: String
        let name: String
        let selected: Bool
    }

    struct ErrorLink {
        let field: String
        let message: String
    }

    /// What the form carries while the site is under attack: the challenge, the script that
    /// solves it, and what the script says while it works.
    struct ProofOfWorkFields {
        let challenge: String
        let script: String
        let checking: String
    }

    let action: String
    let csrf: String
    let lang: String
    let name: Field
    let email: Field
    let country: Field
    let city: Field
    let comment: Field
    let showNamePublicly: Bool
    let keepInformed: Bool
    let priorityCountries: [CountryOption]
    let otherCountries: [CountryOption]
    let priorityLabel: String?
    let errors: [ErrorLink]
    let hasErrors: Bool
    let proofOfWork: ProofOfWorkFields?
    /// The code of the committee whose referral link the form came from.
    let committee: String?
    let maxName = SignatureForm.maximumLengths[.name] ?? 200
    let maxCity = SignatureForm.maximumLengths[.city] ?? 100
    let maxComment = SignatureForm.maximumLengths[.comment] ?? 500

    init(
        content: PetitionContent,
        language: Language,
        csrf: String,
        form: SignatureForm = SignatureForm(),
        problems: SignatureFormProblems = SignatureFormProblems(),
        proofOfWork challenge: String? = nil,
        committee: CommitteeCode? = nil,
        renderer: PageRenderer
    ) {
        let catalogue = renderer.catalogue
        func message(_ field: SignatureField) -> String? {
            guard let problem = problems[field] else { return nil }
            if case .tooLong(let maximum) = problem {
                return catalogue.text(problem.messageKey, in: language, ["maximum": maximum.formatted(.number.locale(language.locale))])
            }
            return catalogue.text(problem.messageKey, in: language)
        }
        func field(_ field: SignatureField, _ value: String, hint: Bool) -> Field {
            let error = message(field)
            let ids = [hint ? "\(field.rawValue)-hint" : nil, error == nil ? nil : "\(field.rawValue)-error"].compactMap { $0 }
            return Field(value: value, error: error, describedBy: ids.joined(separator: " "))
        }
        action = "/petitions/\(content.petition.slug)/signatures"
        self.csrf = csrf
        lang = language.tag
        name = field(.name, form.name, hint: true)
        email = field(.email, form.email, hint: true)
        country = field(.country, form.country, hint: false)
        city = field(.city, form.city, hint: false)
        comment = field(.comment, form.comment, hint: true)
        showNamePublicly = form.showNamePublicly
        keepInformed = form.keepInformed

        (priorityCountries, otherCountries) = Self.countryMenu(priority: content.priorityCountries, chosen: form.country, language: language)
        priorityLabel = content.organisationName.map { _ in
            catalogue.text("country_group_priority", in: language, ["organisation": content.petition.organisation?.uppercased() ?? ""])
        }
        errors = SignatureField.allCases.compactMap { field in
            message(field).map { ErrorLink(field: field.rawValue, message: $0) }
        }
        hasErrors = !errors.isEmpty
        self.committee = committee?.text
        proofOfWork = challenge.map { challenge in
            ProofOfWorkFields(
                challenge: challenge,
                script: renderer.assets.url(of: "proof-of-work.js"),
                checking: catalogue.text("proof_of_work_checking", in: language)
            )
        }
    }

    /// A country menu: the addressed organisation's states first, then every other country, each
    /// group in the language's alphabetical order, with `chosen` (a code, any case) selected.
    static func countryMenu(priority: [Country], chosen: String, language: Language) -> (priority: [CountryOption], other: [CountryOption]) {
        let chosen = chosen.uppercased()
        let option = { (country: Country) in
            CountryOption(code: country.code, name: country.name(in: language), selected: country.code == chosen)
        }
        let byName = { (a: CountryOption, b: CountryOption) in
            a.name.compare(b.name, locale: language.locale) == .orderedAscending
        }
        let first = Set(priority)
        return (priority.map(option).sorted(by: byName), Country.all.filter { !first.contains($0) }.map(option).sorted(by: byName))
    }
}
