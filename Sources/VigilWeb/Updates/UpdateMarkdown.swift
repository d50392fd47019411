import Foundation
import Ink

/// Turns an update's Markdown into HTML that cannot carry markup of its own.
///
/// Ink passes raw HTML through and writes link addresses unescaped, so three of its element
/// kinds are rewritten: raw HTML (block or inline) is shown as text, images become their
/// description (the CSP would block outside images anyway), and links keep only http, https
/// and mailto addresses, with the address escaped for its attribute.
enum UpdateMarkdown {
    /// HTML safe to put in a page as it is.
    struct SafeHTML: Sendable, Equatable {
        let text: String
    }

    static func html(_ markdown: String) -> SafeHTML {
        var parser = MarkdownParser()
        parser.addModifier(Modifier(target: .html) { input in escape(String(input.markdown)) })
        parser.addModifier(Modifier(target: .images) { input in
            escape(description(ofImage: input.markdown))
        })
        parser.addModifier(Modifier(target: .links) { input in
            link(html: input.html, markdown: input.markdown)
        })
        return SafeHTML(text: parser.html(from: markdown))
    }

    /// A link as Ink wrote it, with its address checked and escaped; text only when the address
    /// is not one a reader should follow.
    static func link(html: String, markdown: Substring) -> String {
        guard let openEnd = html.firstIndex(of: ">"), let close = html.range(of: "</a>", options: .backwards),
              openEnd < close.lowerBound
        else { return escape(String(markdown)) }
        let inner = String(html[html.index(after: openEnd)..<close.lowerBound])
        guard let open = markdown.range(of: "]("), markdown.hasSuffix(")") else { return inner }
        let address = markdown[open.upperBound..<markdown.index(before: markdown.endIndex)]
            .trimmingCharacters(in: .whitespaces)
        guard let url = URL(string: address), let scheme = url.scheme?.lowercased(),
              ["http", "https", "mailto"].contains(scheme)
        else { return inner }
        return "<a href=\"\(escape(address))\" rel=\"noopener noreferrer\">\(inner)</a>"
    }

    static func description(ofImage markdown: Substring) -> String {
        guard let start = markdown.firstIndex(of: "["), let end = markdown.firstIndex(of: "]"), start < end else { return "" }
        return String(markdown[markdown.index(after: start)..<end])
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
