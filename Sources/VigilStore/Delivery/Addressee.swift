import Foundation

/// Someone a petition is delivered to: one of the offices its text names, or a national
/// delegation staff add.
public struct Addressee: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// An office named in the petition's text.
        case office
        /// A national delegation added by staff.
        case delegation
    }

    public let id: Int64
    public let petitionID: Int64
    public let name: String
    public let kind: Kind
    /// The delegation's country (ISO 3166-1 alpha-2); `nil` for an office.
    public let country: String?
}

/// A delivery of the petition to an addressee.
public struct Delivery: Sendable, Equatable {
    /// How it was delivered.
    public enum Method: String, Sendable, CaseIterable {
        case email
        case post
        case inPerson = "in-person"
        case onlineForm = "online-form"
        case other
    }

    public let id: Int64
    public let addresseeID: Int64
    public let deliveredAt: Date
    public let method: Method
    /// The addressee's or the courier's reference, if any.
    public let reference: String?
    public let note: String?
}

/// An answer an addressee gave.
public struct DeliveryAnswer: Sendable, Equatable {
    public let id: Int64
    public let addresseeID: Int64
    public let receivedAt: Date
    /// What the answer says, in the campaign's words; shown to the public.
    public let summary: String
    public let reference: String?
}

/// One line of a petition's public "what happened" timeline.
public struct DeliveryEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case delivered(Delivery.Method, reference: String?)
        case answered(summary: String)
    }

    public let date: Date
    public let addressee: String
    public let kind: Kind
}
