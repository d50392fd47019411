import ArgumentParser
import Foundation
import VigilCore
import VigilStore
import VigilWeb

/// `vigil delivery`: the petition's addressees, its deliveries and their answers, as the console's
/// Deliveries page records them. What is recorded here appears on the petition page under
/// "What happened", and in the audit log as done from the command line.
struct DeliveryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delivery",
        abstract: "Track to whom a petition was delivered, how, and what they answered.",
        subcommands: [List.self, AddDelegation.self, Record.self, Answer.self]
    )

    struct Common: ParsableArguments {
        @Option(help: "The petition's slug.")
        var petition: String

        @Option(help: "A YAML settings file, read after the environment variables.")
        var config: String?

        /// Opens the store, finds the petition (with its addressees seeded from its text), runs `body`.
        func with(_ body: (Store, Int64) async throws -> Void) async throws {
            let settings = try await Settings.load(file: config)
            let opened = try await VigilServer.openStore(configuration: settings, logger: Settings.logger(level: .warning))
            do {
                guard let found = try await opened.store.petition(slug: petition) else {
                    throw ValidationError("there is no petition '\(petition)'")
                }
                try await opened.store.seedAddressees(petitionID: found.id)
                try await body(opened.store, found.id)
            } catch {
                await opened.store.close()
                throw error
            }
            await opened.store.close()
        }
    }

    /// A day as `YYYY-MM-DD`, midnight UTC.
    static func day(_ text: String) throws -> Date {
        guard let date = Date(day: text) else { throw ValidationError("'\(text)' is not a date as YYYY-MM-DD") }
        return date
    }

    /// Who the audit log names for a change made here.
    static let actor = AuditRecord(staffID: nil, actor: "command line", action: "")

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the addressees, deliveries and answers.")
        @OptionGroup var common: Common

        func run() async throws {
            try await common.with { store, petitionID in
                for addressee in try await store.addressees(petitionID: petitionID) {
                    print("\(addressee.id)\t\(addressee.kind.rawValue)\t\(addressee.country ?? "-")\t\(addressee.name)")
                }
                let timeline = try await store.deliveryTimeline(petitionID: petitionID)
                if !timeline.isEmpty { print("") }
                for event in timeline {
                    let day = event.date.formatted(.iso8601.year().month().day())
                    switch event.kind {
                    case .delivered(let method, let reference):
                        print("\(day)\tdelivered to \(event.addressee) (\(method.rawValue)\(reference.map { ", reference \($0)" } ?? ""))")
                    case .answered(let summary):
                        print("\(day)\tanswer from \(event.addressee): \(summary)")
                    }
                }
            }
        }
    }

    struct AddDelegation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a national delegation as an addressee.")
        @OptionGroup var common: Common
        @Option(help: "The delegation's name, e.g. \"Permanent Mission of France to the OSCE\".")
        var name: String
        @Option(help: "Its country, as an ISO 3166-1 code such as FR.")
        var country: String

        func run() async throws {
            try await common.with { store, petitionID in
                let added = try await store.addDelegation(petitionID: petitionID, name: name, country: country, audit: DeliveryCommand.actor)
                print("Added addressee \(added.id): \(added.name).")
            }
        }
    }

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that the petition was delivered to an addressee.")
        @OptionGroup var common: Common
        @Option(help: "The addressee's id, as `vigil delivery list` shows it.")
        var addressee: Int64
        @Option(help: "The day of delivery, YYYY-MM-DD.")
        var date: String
        @Option(help: "How: email, post, in-person, online-form or other.")
        var method: String
        @Option(help: "A reference given by the addressee or the courier.")
        var reference: String?
        @Option(help: "A note for staff; not shown publicly.")
        var note: String?

        func run() async throws {
            guard let method = Delivery.Method(rawValue: method) else {
                throw ValidationError("--method must be one of \(Delivery.Method.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let day = try DeliveryCommand.day(date)
            try await common.with { store, petitionID in
                let delivery = try await store.recordDelivery(
                    petitionID: petitionID, addresseeID: addressee, at: day, method: method, reference: reference, note: note,
                    audit: DeliveryCommand.actor
                )
                print("Recorded delivery \(delivery.id).")
            }
        }
    }

    struct Answer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an addressee's answer; its summary is shown publicly.")
        @OptionGroup var common: Common
        @Option(help: "The addressee's id, as `vigil delivery list` shows it.")
        var addressee: Int64
        @Option(help: "The day the answer came, YYYY-MM-DD.")
        var date: String
        @Option(help: "What the answer says, for the public timeline.")
        var summary: String
        @Option(help: "The answer's reference.")
        var reference: String?

        func run() async throws {
            let day = try DeliveryCommand.day(date)
            try await common.with { store, petitionID in
                let answer = try await store.recordAnswer(
                    petitionID: petitionID, addresseeID: addressee, at: day, summary: summary, reference: reference,
                    audit: DeliveryCommand.actor
                )
                print("Recorded answer \(answer.id).")
            }
        }
    }
}
