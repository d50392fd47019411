// The paper upload: a multipart/form-data body as the console's paper form posts it, read by
// MultipartForm, its files checked as scans and its text fields as PaperController reads them.
import Foundation
import FuzzSupport
import NIOCore
import VigilCore
@testable import VigilWeb

@_cdecl("LLVMFuzzerTestOneInput")
public func testUpload(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { Fuzz.test(data, size, UploadHarness.check) }

@_cdecl("LLVMFuzzerInitialize")
public func initializeUpload(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutableRawPointer) -> CInt {
    Fuzz.initialize(seeds: UploadHarness.seeds)
}

// SwiftPM makes this file's top-level code the program's main; libFuzzer takes over from here.
exit(Fuzz.run())

enum UploadHarness {
    static let boundary = "vigilfuzz"
    static let contentType = "multipart/form-data; boundary=\(boundary)"

    static func check(_ bytes: [UInt8]) {
        let form: MultipartForm
        do {
            form = try MultipartForm(ByteBuffer(bytes: bytes), contentType: contentType)
        } catch {
            Fuzz.require(error == .malformed, "a body with a good content type was called \(error)")
            return
        }
        // The text fields read as an ordinary form, whatever their bytes.
        let fields = form.textFields
        for part in form.parts where part.fileName == nil {
            Fuzz.require(part.name.isEmpty || fields[part.name] != nil, "the text field \(part.name) was lost")
        }
        // Files become scans only when they are a PDF, PNG or JPEG within the limits.
        for file in form.files(named: "scans") {
            if let scan = try? PaperScan(fileName: file.fileName ?? "", content: file.content) {
                Fuzz.require(PaperScan.MediaType(sniffing: scan.content) == scan.mediaType, "a scan's type is not its content's")
                Fuzz.require(scan.fileName.utf8.allSatisfy { $0 < 0x80 && $0 != 0x22 && $0 != 0x5C && $0 >= 0x20 },
                             "a scan's name is not safe in a header: \(scan.fileName)")
            }
        }
        roundTrip(form)
    }

    /// Parts written out again and read back are the same parts, when nothing in them could be
    /// taken for the syntax around them.
    static func roundTrip(_ form: MultipartForm) {
        let unsafe: Set<Character> = ["\"", "\\", "\r", "\n", ";"]
        // A body of no parts (an empty one) has no written form the parser takes back.
        guard !form.parts.isEmpty, form.parts.allSatisfy({ part in
            !part.name.contains(where: unsafe.contains) && !(part.fileName ?? "").contains(where: unsafe.contains)
                && part.content.range(of: Data("\r\n--\(boundary)".utf8)) == nil
        }) else { return }
        let again: MultipartForm
        do {
            again = try MultipartForm(ByteBuffer(bytes: encoded(form.parts)), contentType: contentType)
        } catch {
            Fuzz.require(false, "parts written out again do not read: \(error)")
            return
        }
        Fuzz.require(again.parts.map(\.name) == form.parts.map(\.name), "written and read again, the names changed")
        Fuzz.require(again.parts.map(\.fileName) == form.parts.map(\.fileName), "written and read again, the file names changed")
        Fuzz.require(again.parts.map(\.content) == form.parts.map(\.content), "written and read again, the contents changed")
    }

    static func encoded(_ parts: [MultipartForm.Part]) -> [UInt8] {
        var out: [UInt8] = []
        for part in parts {
            var disposition = "Content-Disposition: form-data; name=\"\(part.name)\""
            if let fileName = part.fileName { disposition += "; filename=\"\(fileName)\"" }
            out += Array("--\(boundary)\r\n\(disposition)\r\n\r\n".utf8) + part.content + Array("\r\n".utf8)
        }
        return out + Array("--\(boundary)--\r\n".utf8)
    }

    static func seeds() -> [(name: String, bytes: [UInt8])] {
        let csv = "name,country,city,date,email\r\nАнна Петросян,AM,Երևան,2026-11-02,anna@example.org\r\n"
        let sheet = MultipartForm.Part(name: "sheet", fileName: "sheet.csv", content: Data(csv.utf8))
        let png = MultipartForm.Part(name: "scans", fileName: "photo 1.png", content: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]))
        let pdf = MultipartForm.Part(name: "scans", fileName: "sheets.pdf", content: Data("%PDF-1.7\n%\u{e2}\u{e3}\n1 0 obj\n".utf8))
        let text = { (name: String, value: String) in MultipartForm.Part(name: name, fileName: nil, content: Data(value.utf8)) }
        let upload = [
            text("csrf", "q1w2e3r4t5y6u7i8o9p0"), text("committee", "3"), text("collected_by", "Սոնա Մկրտչյան"),
            text("collected_on", "2026-11-20"), text("received_by", "Comité de Lyon"), text("received_on", "2026-11-21"),
            text("note", "Marché du samedi\r\nsecond line"), sheet, png, pdf,
        ]
        return [
            (name: "upload", bytes: encoded(upload)),
            (name: "empty-file", bytes: encoded([text("csrf", "x"), MultipartForm.Part(name: "scans", fileName: "", content: Data())])),
            (name: "quoted-names", bytes: Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"a\\\"b\"; filename=\"c;d.pdf\"\r\n\r\n%PDF-\r\n--\(boundary)--\r\n".utf8
            )),
            // Once stopped the process, in the parser tried first: a header name with a byte above 0x7F.
            (name: "non-ascii-header-name", bytes: Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nx\r\n--\(boundary)\r\nCon".utf8)
                + [0xAD] + Array("\"\":\r\n\r\n\r\n--\(boundary)--\r\n".utf8)),
            (name: "unterminated", bytes: Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"sheet\"\r\n\r\nname,country".utf8)),
        ]
    }
}
