import Foundation

/// Where a wallet list comes from: a local CSV, a zip holding it, or an https URL.
public enum WalletListSource: Sendable {
    case file(URL)
    case url(URL)

    /// Parses a command-line argument: `https://…`/`http://…` or a path.
    public init(argument: String) {
        if let url = URL(string: argument), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http" {
            self = .url(url)
        } else {
            self = .file(URL(fileURLWithPath: argument))
        }
    }

    /// A local CSV path ready for WalletListVerifier: downloads (with `download`, which returns
    /// the downloaded file; the networking lives outside this module so that programs that only
    /// read files do not load it) and/or unzips into `workFolder`.
    public func resolve(workFolder: URL,
                        download: (URL, URL) throws -> URL = { url, _ in throw WalletInputError("no downloader for \(url.absoluteString)") }) throws -> URL {
        var local: URL
        switch self {
        case .file(let url):
            guard FileManager.default.fileExists(atPath: url.path) else { throw WalletInputError("\(url.path) does not exist") }
            local = url
        case .url(let url):
            local = try download(url, workFolder)
        }
        if ZipWalletList.isZip(local) {
            local = try ZipWalletList.extractCSV(from: local, to: workFolder.appendingPathComponent("unzipped"))
        }
        return local
    }
}
