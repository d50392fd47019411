import VigilCore

/// Numbers the citations of one profile in the order its facts are shown, so the same
/// citation always carries the same number on the page, in the JSON and in the CSV.
struct CitationNumbers {
    /// The distinct citations, the first numbered 1.
    let citations: [Citation]
    private let numbers: [Citation: Int]

    init(_ record: Detainee) {
        var citations: [Citation] = []
        var numbers: [Citation: Int] = [:]
        for citation in record.allCitations where numbers[citation] == nil {
            citations.append(citation)
            numbers[citation] = citations.count
        }
        self.citations = citations
        self.numbers = numbers
    }

    /// The numbers of a fact's citations, in its order; empty when it is unsourced.
    func numbers(_ sourcing: Sourcing) -> [Int] {
        sourcing.citations.compactMap { numbers[$0] }
    }
}
