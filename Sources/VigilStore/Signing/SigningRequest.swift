import VigilCore

/// One signer's submission, checked and ready to be written.
public struct SigningRequest: Sendable {
    public var petitionID: Int64
    public var signature: ValidSignature
    /// The language the petition was shown in; e-mails to the signer use it too.
    public var language: Language
    /// ``PetitionText/versionHash`` of the text the signer was shown.
    public var textHash: String
    /// Set when the submission looks automated: it is stored but not counted or mailed.
    public var hold: HoldReason?
    /// A keyed hash of the client's network address, for staff review of held signatures.
    public var clientHash: String?
    /// A keyed hash of the client's ``NetworkRange``, kept a few days so staff can set aside a
    /// flood from one network.
    public var networkHash: String?
    /// The committee whose referral link the signer came through; it is credited once the
    /// signature is confirmed.
    public var committeeID: Int64?
    /// How the signature reached the campaign: the sign form, or a partner site's push.
    public var channel: TallyEntry.Channel
    /// The partner site that pushed the signature.
    public var partnerID: Int64?
    /// The tags the partner site sent with it (OSDI's `add_tags`), kept for the partner's reports.
    public var partnerTags: [String]
    /// Whether the signature counts at once, without a confirmation e-mail: only for partners
    /// staff marked as trusted to have confirmed the address themselves.
    public var countsAtOnce: Bool

    public init(
        petitionID: Int64,
        signature: ValidSignature,
        language: Language,
        textHash: String,
        hold: HoldReason? = nil,
        clientHash: String? = nil,
        networkHash: String? = nil,
        committeeID: Int64? = nil,
        channel: TallyEntry.Channel = .online,
        partnerID: Int64? = nil,
        partnerTags: [String] = [],
        countsAtOnce: Bool = false
    ) {
        self.petitionID = petitionID
        self.signature = signature
        self.language = language
        self.textHash = textHash
        self.hold = hold
        self.clientHash = clientHash
        self.networkHash = networkHash
        self.committeeID = committeeID
        self.channel = channel
        self.partnerID = partnerID
        self.partnerTags = partnerTags
        self.countsAtOnce = countsAtOnce
    }
}

/// Why a signature was held back for review instead of being sent for confirmation.
public enum HoldReason: String, Sendable, Codable {
    /// The client signed more often than the per-address limit allows.
    case rateLimited = "rate-limited"
    /// The client's network (a /24 or /56) signed more often than the per-range limit allows.
    case rangeLimited = "range-limited"
    /// The hidden field that only robots fill in was filled in.
    case honeypot
    /// The form came back sooner after it was shown than a person can fill it in.
    case tooFast = "too-fast"
    /// The address is at a domain that hands out throw-away mailboxes.
    case disposableAddress = "disposable-address"
    /// The site was under attack and the form came back without a solved proof of work: most
    /// likely a browser without JavaScript, or a bot.
    case proofOfWorkMissing = "proof-of-work-missing"
    /// The site was under attack and the proof of work was forged, expired, wrong or used before.
    case proofOfWorkInvalid = "proof-of-work-invalid"
}

/// What the writer did with a submission. The signer sees the same page in every case.
public enum SigningOutcome: Sendable, Equatable {
    /// A confirmation e-mail was queued.
    case confirmationQueued
    /// The address had already confirmed; a notice saying so was queued.
    case alreadySignedNoticeQueued
    /// The address was mailed a short while ago; nothing more was sent, to avoid mail floods.
    case mailSuppressed
    /// The signature was stored but held back; no e-mail was sent.
    case held(HoldReason)
    /// The signature counts already (``SigningRequest/countsAtOnce``); `signerNumber` is its
    /// place among those confirmed here, and the signer was sent a receipt.
    case counted(signerNumber: Int)
}

/// What happened when a confirmation link's button was pressed.
public enum ConfirmationOutcome: Sendable, Equatable {
    /// The signature now counts; `signerNumber` is its place among those confirmed here.
    case confirmed(petitionID: Int64, signerNumber: Int)
    /// It had been confirmed before; nothing changed.
    case alreadyConfirmed(petitionID: Int64, signerNumber: Int)
    /// The link is older than the confirmation lifetime.
    case expired(petitionID: Int64)
    /// No signature has this link, or it was held back.
    case unknown
}

/// How signing and confirming behave.
public struct SigningSettings: Sendable {
    /// How long a confirmation link works.
    public var confirmationLifetime: Duration
    /// The shortest time between two e-mails about one signature, so a form cannot be used to flood a mailbox.
    public var mailInterval: Duration
    /// The most requests written in one transaction.
    public var maximumBatchSize: Int

    public init(
        confirmationLifetime: Duration = .seconds(7 * 24 * 3600),
        mailInterval: Duration = .seconds(10 * 60),
        maximumBatchSize: Int = 256
    ) {
        self.confirmationLifetime = confirmationLifetime
        self.mailInterval = mailInterval
        self.maximumBatchSize = maximumBatchSize
    }
}
