import Foundation

/// Reduces a name to a key that is the same for the ways people write it: in Armenian,
/// Cyrillic or Latin letters, with or without accents, in any case, and in the spellings
/// that transliteration schemes and languages disagree on.
///
/// Two steps. First ICU's transforms (through Foundation) write Armenian and Russian in
/// Latin letters with the BGN/PCGN romanisations, which give "Ishkhanyan" for both
/// "Իշխանյան" and "Ишханян", then any other script in Latin, then plain ASCII in lower
/// case. Then ``foldToken(_:)`` makes equal what the schemes spell differently.
public enum NameFolding {
    private static let transliteration = StringTransform(
        "Russian-Latin/BGN; Armenian-Latin/BGN; Any-Latin; Latin-ASCII; Lower"
    )

    /// Apostrophes and modifier letters that mark aspiration or softness in transliterations
    /// ("Step’anyan"): dropped, not treated as spaces, so a name stays one word.
    private static let ignored: Set<Character> = ["'", "’", "‘", "ʼ", "ʻ", "`", "´", "ʹ", "ʺ"]

    /// The folded words of a name or a query.
    public static func tokens(_ text: String) -> [String] {
        let latin = text.applyingTransform(transliteration, reverse: false) ?? text.lowercased()
        let kept = latin.filter { !ignored.contains($0) }
        return kept.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
            .map { foldToken(String($0).lowercased()) }
            .filter { !$0.isEmpty }
    }

    /// Spelling rules applied in order to one lower-case ASCII word.
    ///
    /// - `tsch`, `tch`, `ch` are one sound (written `C` while folding); `sh` and `zh` likewise;
    /// - `dzh`, `dj` (Russian and French for Armenian ջ) become `j`;
    /// - `ck` becomes `k`, `ts` and `tz` become `c`, `ou` (French) becomes `u`, `w` becomes `v`, `q` becomes `k`;
    /// - `kh` and `x` are the same sound, and `h` itself is dropped everywhere, as Russian
    ///   spellings of Armenian names drop it ("Sahakyan", "Саакян");
    /// - `y`, `i` and `j` are one letter, so "yan", "ian" and "jan" agree;
    /// - doubled letters are single.
    public static func foldToken(_ word: String) -> String {
        var text = word
        let rules: [(String, String)] = [
            ("tsch", "C"), ("tch", "C"), ("dzh", "j"), ("dj", "j"), ("ch", "C"), ("sh", "S"), ("zh", "Z"),
            ("ck", "k"), ("ts", "c"), ("tz", "c"), ("ou", "u"), ("w", "v"), ("q", "k"),
            ("kh", "h"), ("x", "h"), ("h", ""), ("y", "i"), ("j", "i"),
        ]
        for (from, to) in rules where text.contains(from) {
            text = text.replacingOccurrences(of: from, with: to)
        }
        var folded = ""
        for character in text where character != folded.last {
            folded.append(character)
        }
        return folded
    }
}
