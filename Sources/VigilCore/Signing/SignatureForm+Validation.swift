import Foundation

/// A sign form that passed every check, with its text trimmed and in Unicode NFC.
public struct ValidSignature: Sendable, Equatable {
    public let name: String
    public let email: EmailAddress
    public let country: Country
    public let city: String?
    public let comment: String?
    public let showNamePublicly: Bool
    public let keepInformed: Bool
}

extension SignatureForm {
    /// The longest accepted value of each free-text field, in characters as a reader counts them.
    public static let maximumLengths: [SignatureField: Int] = [.name: 200, .city: 100, .comment: 500]

    /// Checks every field and returns either the signature or all the problems at once,
    /// so the signer can fix the whole form in one go.
    ///
    /// - Parameter unreadable: fields whose bytes were not valid UTF-8 when the form was read.
    public func validated(
        unreadable: Set<SignatureField> = [],
        rules: EmailNormalisationRules = .standard
    ) -> Result<ValidSignature, SignatureFormProblems> {
        var problems = SignatureFormProblems()
        for field in unreadable { problems[field] = .unreadableText }

        let name = Self.cleaned(self.name)
        if problems[.name] == nil {
            problems[.name] = Self.problem(in: name, field: .name, required: true, multiline: false)
        }

        var email: EmailAddress?
        if problems[.email] == nil {
            do {
                email = try EmailAddress(self.email, rules: rules)
            } catch .empty {
                problems[.email] = .required
            } catch .tooLong {
                problems[.email] = .tooLong(maximum: EmailAddress.maximumLength)
            } catch {
                problems[.email] = .malformedEmail
            }
        }

        let countryCode = self.country.trimmingCharacters(in: .whitespaces)
        let country = Country(code: countryCode)
        if problems[.country] == nil {
            if countryCode.isEmpty {
                problems[.country] = .required
            } else if country == nil {
                problems[.country] = .unknownCountry
            }
        }

        let city = Self.cleaned(self.city)
        if problems[.city] == nil {
            problems[.city] = Self.problem(in: city, field: .city, required: false, multiline: false)
        }
        let comment = Self.cleaned(self.comment)
        if problems[.comment] == nil {
            problems[.comment] = Self.problem(in: comment, field: .comment, required: false, multiline: true)
        }

        guard problems.isEmpty, let email, let country else { return .failure(problems) }
        return .success(
            ValidSignature(
                name: name,
                email: email,
                country: country,
                city: city.isEmpty ? nil : city,
                comment: comment.isEmpty ? nil : comment,
                showNamePublicly: showNamePublicly,
                keepInformed: keepInformed
            )
        )
    }

    /// Trims surrounding white space, makes line ends uniform and composes to NFC, so the
    /// same text typed on two systems is stored the same way.
    public static func cleaned(_ text: String) -> String {
        if isClean(text) { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
            .precomposedStringWithCanonicalMapping
    }

    /// Whether cleaning would leave `text` as it is, judged in one pass without Foundation: no
    /// carriage return, no white space at either end, and only characters that Unicode
    /// normalisation neither changes nor combines with a neighbour (Latin, Armenian and
    /// Cyrillic letters, digits, punctuation), as nearly every signer types. The three
    /// Foundation calls cost about 3 % of the server's time while signing.
    static func isClean(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return true }
        // The only characters below that trimming removes.
        func trimmed(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\u{A0}" }
        if trimmed(first) || trimmed(last) { return false }
        return scalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x09, 0x0A, 0x20...0x7E: true
            // Latin-1, Latin Extended, IPA and spacing modifiers: all above the C1 controls.
            case 0xA0...0x2FF: true
            // Cyrillic letters, not its combining marks (0x483–0x489).
            case 0x400...0x482, 0x48A...0x52F: true
            // Armenian letters and punctuation.
            case 0x531...0x556, 0x559...0x58A, 0x58D...0x58F: true
            // Dashes, typographic quotes and apostrophes (a phone's "O’Brien"), bullets, ellipsis.
            case 0x2010...0x2027: true
            default: false
            }
        }
    }

    static func problem(in text: String, field: SignatureField, required: Bool, multiline: Bool) -> FieldProblem? {
        if text.isEmpty { return required ? .required : nil }
        if let maximum = maximumLengths[field], text.count > maximum { return .tooLong(maximum: maximum) }
        let forbidden = text.unicodeScalars.contains { scalar in
            if multiline, scalar == "\n" || scalar == "\t" { return false }
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned: return true
            default: return false
            }
        }
        return forbidden ? .controlCharacters : nil
    }
}
