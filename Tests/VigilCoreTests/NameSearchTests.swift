import Testing
import VigilCore

@Suite("Name search")
struct NameSearchTests {
    /// The 23 names as the campaign's source writes them, in Latin letters only, so every
    /// Armenian or Cyrillic query below is found by transliteration, not by a stored spelling.
    static let people: [(id: String, names: [String])] = [
        ("davit-babayan", ["Davit Babayan"]),
        ("davit-ishkhanyan", ["Davit Ishkhanyan", "Davit lshkhanyan"]),
        ("arkady-ghukasyan", ["Arkady Ghukasyan"]),
        ("arayik-harutyunyan", ["Arayik Harutyunyan"]),
        ("davit-manukyan", ["Davit Manukyan"]),
        ("levon-mnatsakanyan", ["Levon Mnatsakanyan", "Lyova Mnatsakanyan"]),
        ("bako-sahakyan", ["Bako Sahakyan"]),
        ("ruben-vardanyan", ["Ruben Vardanyan"]),
        ("madat-badayan", ["Madat Badayan"]),
        ("rashid-beglaryan", ["Rashid Beglaryan"]),
        ("david-davtyan", ["David Davtyan"]),
        ("vicken-euljekjian", ["Vicken Euljekjian", "Vicken Eolchekjian"]),
        ("gevorg-sujyan", ["Gevorg Sujyan"]),
        ("vagif-khachatryan", ["Vagif Khachatryan"]),
        ("david-alaverdyan", ["David Alaverdyan"]),
        ("levon-balayan", ["Levon Balayan"]),
        ("vasily-beglaryan", ["Vasily Beglaryan"]),
        ("eric-ghazaryan", ["Eric Ghazaryan"]),
        ("alesha-khosrovyan", ["Alesha Khosrovyan", "Alesha Hsoroyan"]),
        ("garik-martirosyan", ["Garik Martirosyan"]),
        ("ludwig-mkrtchyan", ["Ludwig Mkrtchyan", "Ludvig Mkrtchyan"]),
        ("melikset-pashayan", ["Melikset Pashayan"]),
        ("gurgen-stepanyan", ["Gurgen Stepanyan"]),
    ]
    static let index = NameIndex(people)

    @Test("the issue's cases find the right person first", arguments: [
        ("Eolchekjian", "vicken-euljekjian"),
        ("euljekjian", "vicken-euljekjian"),
        ("Vicken", "vicken-euljekjian"),
        ("Ишханян", "davit-ishkhanyan"),
        ("lshkhanyan", "davit-ishkhanyan"),
        ("Khosrovian", "alesha-khosrovyan"),
    ])
    func issueCases(query: String, expected: String) {
        #expect(Self.index.search(query).first == expected, "\(query) → \(Self.index.search(query))")
    }

    /// Misspellings and other spellings people really type: other transliteration schemes
    /// (French "ou", "ian" for "yan", German "w"), Russian forms that drop the Armenian "h",
    /// the names in Armenian and Cyrillic letters, accents, case, and typos of one or two letters.
    @Test("a table of misspellings and other scripts finds the right person first", arguments: [
        ("Իշխանյան", "davit-ishkhanyan"),
        ("Դավիթ Բաբայան", "davit-babayan"),
        ("Ռուբեն Վարդանյան", "ruben-vardanyan"),
        ("Варданян", "ruben-vardanyan"),
        ("Рубен Варданян", "ruben-vardanyan"),
        ("Арутюнян", "arayik-harutyunyan"),
        ("Harutiunian", "arayik-harutyunyan"),
        ("Araik Arutyunyan", "arayik-harutyunyan"),
        ("Саакян", "bako-sahakyan"),
        ("Bako Sahakian", "bako-sahakyan"),
        ("Гукасян", "arkady-ghukasyan"),
        ("Arkadi Ghoukassian", "arkady-ghukasyan"),
        ("Мнацаканян", "levon-mnatsakanyan"),
        ("Mnacakanyan", "levon-mnatsakanyan"),
        ("Lyova", "levon-mnatsakanyan"),
        ("Manoukian", "davit-manukyan"),
        ("Хачатрян", "vagif-khachatryan"),
        ("Vagif Hachatryan", "vagif-khachatryan"),
        ("Xachatryan", "vagif-khachatryan"),
        ("Суджян", "gevorg-sujyan"),
        ("Sudjian", "gevorg-sujyan"),
        ("Davtian", "david-davtyan"),
        ("Davit Davtyan", "david-davtyan"),
        ("Viken", "vicken-euljekjian"),
        ("Eoljekjian", "vicken-euljekjian"),
        ("Mkrtchian", "ludwig-mkrtchyan"),
        ("Ludvig", "ludwig-mkrtchyan"),
        ("Мкртчян", "ludwig-mkrtchyan"),
        ("Hosrovyan", "alesha-khosrovyan"),
        ("Hsoroyan", "alesha-khosrovyan"),
        ("Martirossian", "garik-martirosyan"),
        ("Pachaian", "melikset-pashayan"),
        ("Stepanian", "gurgen-stepanyan"),
        ("Степанян", "gurgen-stepanyan"),
        ("Ghazarian", "eric-ghazaryan"),
        ("Erik Gazaryan", "eric-ghazaryan"),
        ("Vasiliy Beglaryan", "vasily-beglaryan"),
        ("Rashid Beglarian", "rashid-beglaryan"),
        ("Alaverdian", "david-alaverdyan"),
        ("BALAYAN", "levon-balayan"),
        ("Madat Badaian", "madat-badayan"),
        ("Vardnayan", "ruben-vardanyan"),
        ("Ishkanyan", "davit-ishkhanyan"),
        ("Babayna", "davit-babayan"),
        ("Ghukasyan", "arkady-ghukasyan"),
        ("Ghuka", "arkady-ghukasyan"),
        ("Melikseth Pashayan", "melikset-pashayan"),
        ("Gevorg Soudjian", "gevorg-sujyan"),
        ("Éric Ghazaryan", "eric-ghazaryan"),
    ])
    func misspellings(query: String, expected: String) {
        #expect(Self.index.search(query).first == expected, "\(query) → \(Self.index.search(query))")
    }

    @Test("a query matches only people who have every one of its words")
    func everyWord() {
        #expect(Self.index.search("Levon Balayan") == ["levon-balayan"])
        let levons = Self.index.search("Levon")
        #expect(Set(levons) == ["levon-balayan", "levon-mnatsakanyan"])
        #expect(Self.index.search("Beglaryan").count == 2)
    }

    @Test("nothing matches an empty query, punctuation, or a name that is not there")
    func noMatch() {
        #expect(Self.index.search("").isEmpty)
        #expect(Self.index.search("  - ‘’ ").isEmpty)
        #expect(Self.index.search("Aliyev").isEmpty)
        #expect(Self.index.search("Smith").isEmpty)
        #expect(Self.index.search("xyz").isEmpty)
    }

    @Test("exact matches rank above near misses")
    func ranking() {
        // "Badayan" is one letter from "Balayan" and "Babayan": all are found, the exact one first.
        let results = Self.index.search("Badayan")
        #expect(results.first == "madat-badayan")
        #expect(Set(results.dropFirst()) == ["davit-babayan", "levon-balayan"])
    }

    @Test("folding writes every script in the same Latin letters")
    func folding() {
        #expect(NameFolding.tokens("Իշխանյան") == NameFolding.tokens("Ishkhanyan"))
        #expect(NameFolding.tokens("Ишханян") == NameFolding.tokens("ISHKHANYAN"))
        #expect(NameFolding.tokens("Sahakyan") == NameFolding.tokens("Саакян"))
        #expect(NameFolding.tokens("Ludwig") == NameFolding.tokens("Ludvig"))
        #expect(NameFolding.tokens("Step’anyan") == NameFolding.tokens("Stepanyan"))
        #expect(NameFolding.tokens("Vicken Euljekjian").count == 2)
    }
}
