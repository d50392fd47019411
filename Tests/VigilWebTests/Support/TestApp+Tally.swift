import Foundation
import HummingbirdTesting
import Testing
import VigilCore
import VigilStore
@testable import VigilWeb

extension TestApp {
    /// The log key the server created in its data folder.
    func logKey() throws -> TallyLogKey {
        try DataFolder(url: folder).loadOrCreateLogKey().key
    }

    /// Signs a new tree head now, as the server's signer does on its interval.
    @discardableResult
    func signTreeHead() async throws -> SignedTreeHead {
        try await store.signTreeHead(petitionID: petition().id, key: logKey())
    }

    /// Waits for the newest confirmation e-mail to an address, other than `previous` when given.
    func confirmationMail(for address: String, replacing previous: ReceivedMail? = nil) async throws -> ReceivedMail {
        for _ in 0..<200 {
            if let mail = try mails().last(where: { $0.headers["To"]?.contains(address) == true && $0.confirmationPath != nil }),
               mail.confirmationPath != previous?.confirmationPath {
                return mail
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw StoreError.notFound("a confirmation e-mail to \(address)")
    }

    /// Waits for the confirmation e-mail to an address and returns its link's path.
    func confirmationLink(for address: String) async throws -> String {
        try #require(try await confirmationMail(for: address).confirmationPath)
    }

    /// Signs in a browser and confirms from the e-mail; returns the thank-you page.
    @discardableResult
    func signAndConfirm(_ client: any TestClientProtocol, email: String, country: String = "FR", listed: Bool = false) async throws -> Browser.Page {
        let browser = Browser(client)
        _ = try await browser.sign(name: "Signer \(email.prefix(while: { $0 != "@" }))", email: email, country: country, extra: listed ? [("show_name", "on")] : [])
        return try await browser.confirm(try await confirmationLink(for: email))
    }
}

extension Browser.Page {
    /// The text inside the first `<code>` after `label` on the page.
    func code(after label: String) -> String? {
        guard let start = body.range(of: label),
              let open = body.range(of: "<code>", range: start.upperBound..<body.endIndex),
              let close = body.range(of: "</code>", range: open.upperBound..<body.endIndex)
        else { return nil }
        return String(body[open.upperBound..<close.lowerBound])
    }
}
