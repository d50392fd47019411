/// Made-up signers for measuring Vigil at the scale of a large campaign (`vigil bench seed`).
///
/// Countries, languages and scripts come in proportions a diaspora campaign could see: names in
/// Armenian, Cyrillic and Latin letters, cities as people type them, some names shown publicly.
/// Every address is at a domain under `.example`, a top-level domain reserved by RFC 2606 that
/// can never receive mail, so a seeded database cannot e-mail anyone by mistake.
///
/// The signer with a given number is always the same, and numbers never share an address.
public struct SyntheticSigners: Sendable {
    public init() {}

    /// The signer with this number (from 0): the form as typed and the language of the page.
    public func signer(_ number: Int) -> (form: SignatureForm, language: Language) {
        var dice = SplitMix64(seed: UInt64(truncatingIfNeeded: number))
        let place = Self.pick(Self.places, with: &dice)
        let language = Self.pick(place.languages, with: &dice)
        let names = Self.names[language.script] ?? Self.latinNames
        let first = names.first[Int(dice.next() % UInt64(names.first.count))]
        let last = names.last[Int(dice.next() % UInt64(names.last.count))]
        let provider = Self.pick(Self.providers[language] ?? [], with: &dice)
        let form = SignatureForm(
            name: "\(first.written) \(last.written)",
            email: "\(first.latin).\(last.latin).\(number)@\(provider)",
            country: place.country,
            city: place.cities[Int(dice.next() % UInt64(place.cities.count))],
            showNamePublicly: dice.next() % 100 < 35,
            keepInformed: dice.next() % 100 < 60
        )
        return (form, language)
    }

    // MARK: Proportions

    /// A country, the languages its signers read the page in, and cities as they type them.
    struct Place {
        let country: String
        let weight: UInt64
        let languages: [(value: Language, weight: UInt64)]
        let cities: [String]
    }

    static let places: [(value: Place, weight: UInt64)] = [
        Place(country: "AM", weight: 30, languages: [(.armenian, 85), (.english, 10), (.russian, 5)],
              cities: ["Երևան", "Գյումրի", "Վանաձոր", "Վաղարշապատ", "Yerevan"]),
        Place(country: "US", weight: 16, languages: [(.english, 80), (.armenian, 20)],
              cities: ["Los Angeles", "Glendale", "Boston", "New York", "Fresno", "Watertown"]),
        Place(country: "FR", weight: 14, languages: [(.french, 85), (.armenian, 15)],
              cities: ["Paris", "Marseille", "Lyon", "Valence", "Alfortville", "Issy-les-Moulineaux"]),
        Place(country: "RU", weight: 12, languages: [(.russian, 90), (.armenian, 10)],
              cities: ["Москва", "Санкт-Петербург", "Краснодар", "Ростов-на-Дону", "Сочи"]),
        Place(country: "CA", weight: 4, languages: [(.english, 55), (.french, 45)],
              cities: ["Montréal", "Toronto", "Laval", "Vancouver"]),
        Place(country: "DE", weight: 4, languages: [(.english, 100)], cities: ["Berlin", "Köln", "Frankfurt am Main"]),
        Place(country: "GB", weight: 3, languages: [(.english, 100)], cities: ["London", "Manchester"]),
        Place(country: "GE", weight: 3, languages: [(.russian, 50), (.armenian, 50)], cities: ["Тбилиси", "Ախալքալաք"]),
        Place(country: "BE", weight: 2, languages: [(.french, 100)], cities: ["Bruxelles", "Liège"]),
        Place(country: "UA", weight: 2, languages: [(.russian, 100)], cities: ["Харьков", "Одесса", "Киев"]),
        Place(country: "LB", weight: 2, languages: [(.armenian, 60), (.english, 40)], cities: ["Բեյրութ", "Beirut", "Anjar"]),
        Place(country: "AU", weight: 2, languages: [(.english, 100)], cities: ["Sydney", "Melbourne"]),
        Place(country: "CH", weight: 1, languages: [(.french, 100)], cities: ["Genève", "Lausanne"]),
        Place(country: "GR", weight: 1, languages: [(.english, 100)], cities: ["Athens", "Thessaloniki"]),
        Place(country: "AR", weight: 1, languages: [(.english, 100)], cities: ["Buenos Aires", "Córdoba"]),
        Place(country: "CY", weight: 1, languages: [(.english, 100)], cities: ["Nicosia", "Larnaca"]),
        Place(country: "SE", weight: 1, languages: [(.english, 100)], cities: ["Stockholm", "Göteborg"]),
        Place(country: "NL", weight: 1, languages: [(.english, 100)], cities: ["Amsterdam", "Almelo"]),
    ].map { ($0, $0.weight) }

    /// Mail providers by the page's language, all under `.example`.
    static let providers: [Language: [(value: String, weight: UInt64)]] = [
        .armenian: [("gmail.example", 55), ("mail.ru.example", 20), ("yahoo.example", 10), ("yandex.example", 10), ("ucom.example", 5)],
        .russian: [("mail.ru.example", 40), ("yandex.example", 35), ("gmail.example", 25)],
        .french: [("gmail.example", 45), ("orange.example", 20), ("free.example", 15), ("hotmail.example", 15), ("laposte.example", 5)],
        .english: [("gmail.example", 55), ("outlook.example", 15), ("yahoo.example", 15), ("icloud.example", 15)],
    ]

    // MARK: Names

    /// A name as the signer writes it, and in Latin letters for the address.
    struct Name {
        let written: String
        let latin: String
    }

    struct Names {
        let first: [Name]
        let last: [Name]

        init(_ first: [(String, String)], _ last: [(String, String)]) {
            self.first = first.map { Name(written: $0.0, latin: $0.1) }
            self.last = last.map { Name(written: $0.0, latin: $0.1) }
        }
    }

    static let latinNames = Names(
        [("Ani", "ani"), ("David", "david"), ("Sarah", "sarah"), ("Raffi", "raffi"), ("Camille", "camille"),
         ("Hugo", "hugo"), ("Léa", "lea"), ("Nora", "nora"), ("Grégoire", "gregoire"), ("Tamar", "tamar"),
         ("Michael", "michael"), ("Sévane", "sevane"), ("Lara", "lara"), ("Daniel", "daniel")],
        [("Petrosyan", "petrosyan"), ("Hagopian", "hagopian"), ("Martin", "martin"), ("Kazarian", "kazarian"),
         ("Der Sarkissian", "dersarkissian"), ("Johnson", "johnson"), ("Garabedian", "garabedian"),
         ("Kéchichian", "kechichian"), ("Manoogian", "manoogian"), ("Dubois", "dubois"), ("Boghossian", "boghossian")]
    )

    static let names: [Script: Names] = [
        .armenian: Names(
            [("Արամ", "aram"), ("Անի", "ani"), ("Նարեկ", "narek"), ("Լիլիթ", "lilit"), ("Գոռ", "gor"),
             ("Մարիամ", "mariam"), ("Սարգիս", "sargis"), ("Հասմիկ", "hasmik"), ("Դավիթ", "davit"),
             ("Անահիտ", "anahit"), ("Տիգրան", "tigran"), ("Նունե", "nune"), ("Հայկ", "hayk"), ("Գայանե", "gayane")],
            [("Պետրոսյան", "petrosyan"), ("Հակոբյան", "hakobyan"), ("Սարգսյան", "sargsyan"), ("Գրիգորյան", "grigoryan"),
             ("Մկրտչյան", "mkrtchyan"), ("Հովհաննիսյան", "hovhannisyan"), ("Ավետիսյան", "avetisyan"),
             ("Կարապետյան", "karapetyan"), ("Խաչատրյան", "khachatryan"), ("Վարդանյան", "vardanyan")]
        ),
        .cyrillic: Names(
            [("Анна", "anna"), ("Сергей", "sergey"), ("Армен", "armen"), ("Мария", "maria"), ("Давид", "david"),
             ("Елена", "elena"), ("Тигран", "tigran"), ("Ольга", "olga"), ("Карен", "karen"), ("Наталья", "natalya"),
             ("Михаил", "mikhail"), ("Ани", "ani")],
            [("Петросян", "petrosyan"), ("Саркисян", "sarkisyan"), ("Акопян", "akopyan"), ("Григорян", "grigoryan"),
             ("Мкртчян", "mkrtchyan"), ("Оганесян", "oganesyan"), ("Аветисян", "avetisyan"), ("Карапетян", "karapetyan"),
             ("Хачатрян", "khachatryan"), ("Варданян", "vardanyan"), ("Симонян", "simonyan")]
        ),
    ]

    enum Script { case armenian, cyrillic, latin }

    // MARK: Dice

    static func pick<Value>(_ choices: [(value: Value, weight: UInt64)], with dice: inout SplitMix64) -> Value {
        let total = choices.reduce(0) { $0 + $1.weight }
        var roll = dice.next() % total
        for choice in choices {
            if roll < choice.weight { return choice.value }
            roll -= choice.weight
        }
        return choices[choices.count - 1].value
    }
}

extension Language {
    /// The script most signers reading the page in this language write their names in.
    var script: SyntheticSigners.Script {
        switch self {
        case .armenian: .armenian
        case .russian: .cyrillic
        case .english, .french: .latin
        }
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64): the same seed always
/// gives the same numbers, which keeps synthetic data reproducible.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
