import Testing
@testable import VigilWeb

@Suite("Update Markdown")
struct UpdateMarkdownTests {
    @Test("ordinary Markdown renders")
    func ordinary() {
        let html = UpdateMarkdown.html("## News\n\nThe **delegation** met the [ODIHR](https://www.osce.org/odihr) today.\n\n- one\n- two").text
        #expect(html.contains("<h2>News</h2>"))
        #expect(html.contains("<strong>delegation</strong>"))
        #expect(html.contains(#"<a href="https://www.osce.org/odihr" rel="noopener noreferrer">ODIHR</a>"#))
        #expect(html.contains("<li>one</li>"))
    }

    static let hostile = [
        "<script>alert(1)</script>",
        "Hello <img src=x onerror=alert(1)> there",
        "<div onclick=\"alert(1)\">block</div>",
        "[click](javascript:alert(1))",
        "[quote](https://example.org/\" onmouseover=\"alert(1))",
        "![x\" onerror=\"alert(1)](https://example.org/a.png)",
        "<p onmouseover=alert(1)>para</p>",
        "text <iframe src=https://evil.example></iframe>",
        "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ]

    @Test("markup, scripts and dangerous links in an update come out as text", arguments: hostile)
    func hostileInput(_ markdown: String) {
        let html = UpdateMarkdown.html(markdown).text
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<iframe"))
        #expect(!html.contains("<div"))
        #expect(!html.contains("javascript:"))
        #expect(!html.contains("data:text"))
        #expect(!html.contains("onerror=\""))
        #expect(!html.contains(" onmouseover=\""))
        #expect(!html.contains("<p onmouseover"))
    }
}

extension UpdateMarkdownTests {
    @Test("what is refused is still readable")
    func readable() {
        #expect(UpdateMarkdown.html("[click](javascript:alert(1))").text == "<p>click</p>")
        #expect(UpdateMarkdown.html("<b>bold?</b>").text.contains("&lt;b&gt;bold?&lt;/b&gt;"))
        #expect(UpdateMarkdown.html("![A vigil in Paris](https://example.org/a.png)").text.contains("A vigil in Paris"))
    }
}
