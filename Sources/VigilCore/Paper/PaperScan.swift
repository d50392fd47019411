import Crypto
import Foundation

/// A scan or photograph of paper sheets, kept with their batch as evidence.
public struct PaperScan: Sendable, Equatable {
    /// The kinds of file accepted, known by their first bytes rather than by the name or the
    /// type the browser claims.
    public enum MediaType: String, Sendable, CaseIterable {
        case pdf = "application/pdf"
        case png = "image/png"
        case jpeg = "image/jpeg"

        /// The kind of file `content` is, or `nil`.
        public init?(sniffing content: Data) {
            let head = [UInt8](content.prefix(8))
            if head.starts(with: Array("%PDF-".utf8)) {
                self = .pdf
            } else if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
                self = .png
            } else if head.starts(with: [0xFF, 0xD8, 0xFF]) {
                self = .jpeg
            } else {
                return nil
            }
        }
    }

    /// The name the file had, reduced to letters, digits, dots, dashes and underscores so that
    /// it is safe in a header and on any disk.
    public let fileName: String
    public let mediaType: MediaType
    public let content: Data

    /// The largest scan accepted: a phone photograph of a sheet, or a PDF of a few pages.
    public static let maximumBytes = 10 << 20
    /// The most scans in one batch.
    public static let maximumCount = 20
    /// The most bytes of scans in one batch, so one upload cannot hold much of the server's memory.
    public static let maximumTotalBytes = 40 << 20

    /// Checks an uploaded file: not empty, not larger than ``maximumBytes``, and a PDF, PNG or JPEG.
    public init(fileName: String, content: Data) throws(PaperBatchProblem) {
        guard !content.isEmpty else { throw PaperBatchProblem(.emptyScan(fileName), field: .scans) }
        guard content.count <= Self.maximumBytes else {
            throw PaperBatchProblem(.scanTooLarge(fileName, maximumBytes: Self.maximumBytes), field: .scans)
        }
        guard let mediaType = MediaType(sniffing: content) else { throw PaperBatchProblem(.scanNotPDFOrImage(fileName), field: .scans) }
        self.fileName = Self.safeName(fileName, mediaType: mediaType)
        self.mediaType = mediaType
        self.content = content
    }

    /// The hex SHA-256 of the content, shown to reviewers and kept in the audit log.
    public var contentHash: String { SHA256.hash(data: content).hexString }

    private static func safeName(_ name: String, mediaType: MediaType) -> String {
        let allowed = name.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || ".-_".unicodeScalars.contains(scalar)) ? Character(scalar) : "_"
        }
        let cleaned = String(allowed.prefix(100)).trimmingCharacters(in: CharacterSet(charactersIn: "._"))
        return cleaned.isEmpty ? "scan.\(mediaType == .pdf ? "pdf" : mediaType == .png ? "png" : "jpg")" : cleaned
    }
}
