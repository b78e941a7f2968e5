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

    /// A local CSV path ready for WalletListVerifier: downloads and/or unzips into `workFolder`.
    public func resolve(workFolder: URL, download: WalletListDownload.Options = .init(),
                        progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }) throws -> URL {
        var local: URL
        switch self {
        case .file(let url):
            guard FileManager.default.fileExists(atPath: url.path) else { throw WalletInputError("\(url.path) does not exist") }
            local = url
        case .url(let url):
            local = try WalletListDownload.download(url, to: workFolder, options: download, progress: progress)
        }
        if ZipWalletList.isZip(local) {
            local = try ZipWalletList.extractCSV(from: local, to: workFolder.appendingPathComponent("unzipped"))
        }
        return local
    }
}
