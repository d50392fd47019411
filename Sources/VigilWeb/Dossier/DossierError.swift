/// Why a dossier could not be built or read.
public enum DossierError: Error, Sendable, CustomStringConvertible {
    case noPetition(String)
    case outputExists(String)
    case cannotWrite(String)
    case logMismatch(String)

    public var description: String {
        switch self {
        case .noPetition(let slug): "there is no petition '\(slug)'"
        case .outputExists(let path): "\(path) already exists; choose another name or remove it first"
        case .cannotWrite(let path): "cannot write \(path)"
        case .logMismatch(let detail): "the tally log does not add up: \(detail)"
        }
    }
}
