import Testing
import VigilCore

@Suite("Made-up signers for benchmarks")
struct SyntheticSignersTests {
    let signers = SyntheticSigners()

    @Test("every made-up signer passes the sign form's checks, at a domain that receives no mail, with an address of its own")
    func valid() throws {
        var addresses = Set<String>()
        for number in 0..<3000 {
            let (form, _) = signers.signer(number)
            let signature = try form.validated().get()
            #expect(signature.email.domain.hasSuffix(".example"), "\(signature.email.address)")
            addresses.insert(signature.email.normalised)
        }
        #expect(addresses.count == 3000)
    }

    @Test("the same number gives the same signer; signers come in every language, many countries and three scripts")
    func reproducibleAndVaried() throws {
        #expect(signers.signer(41_017).form == signers.signer(41_017).form)
        let sample = (0..<2000).map { signers.signer($0) }
        #expect(Set(sample.map(\.language)) == Set(Language.allCases))
        #expect(Set(sample.map(\.form.country)).count >= 12)
        let names = sample.map(\.form.name)
        #expect(names.contains { $0.unicodeScalars.contains { (0x0531...0x058F).contains($0.value) } }, "no Armenian name")
        #expect(names.contains { $0.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) } }, "no Cyrillic name")
        #expect(names.contains { $0.unicodeScalars.allSatisfy { $0.isASCII || $0.properties.isAlphabetic } && $0.first?.isASCII == true })
        // Armenia leads, as in the campaign's own figures; a share of names is shown publicly.
        let byCountry = Dictionary(grouping: sample, by: \.form.country).mapValues(\.count)
        #expect(byCountry.max { $0.value < $1.value }?.key == "AM")
        let shown = sample.filter(\.form.showNamePublicly).count
        #expect((500...900).contains(shown), "\(shown) of 2000 names shown")
    }
}
