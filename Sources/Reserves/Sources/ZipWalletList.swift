import Foundation
import ZIPFoundation

/// Extracts the wallet CSV from a zip archive to a folder, streaming, with an uncompressed-size cap.
public enum ZipWalletList {
    public static func isZip(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 4)) == Data([0x50, 0x4B, 0x03, 0x04])
    }

    /// Extracts the first `.csv` entry (or the one named `entryName`) into `folder`; returns its path.
    public static func extractCSV(from zip: URL, to folder: URL, entryName: String? = nil,
                                  maximumSize: UInt64 = 8 << 30) throws -> URL {
        let archive: Archive
        do { archive = try Archive(url: zip, accessMode: .read) } catch {
            throw WalletInputError("\(zip.lastPathComponent) is not a readable zip archive")
        }
        let entry = archive.first { candidate in
            guard candidate.type == .file else { return false }
            let name = URL(fileURLWithPath: candidate.path).lastPathComponent
            if let entryName { return name == entryName }
            return name.lowercased().hasSuffix(".csv") && !name.hasPrefix("._")
        }
        guard let entry else {
            let names = archive.prefix(5).map(\.path).joined(separator: ", ")
            throw WalletInputError("\(zip.lastPathComponent) holds no CSV file (it holds: \(names.isEmpty ? "nothing" : names))")
        }
        guard entry.uncompressedSize <= maximumSize else {
            throw WalletInputError("\(entry.path) in \(zip.lastPathComponent) is \(entry.uncompressedSize) bytes, over the \(maximumSize)-byte cap")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent(URL(fileURLWithPath: entry.path).lastPathComponent)
        try? FileManager.default.removeItem(at: target)
        guard FileManager.default.createFile(atPath: target.path, contents: nil),
              let out = try? FileHandle(forWritingTo: target) else {
            throw WalletInputError("cannot write \(target.path)")
        }
        defer { try? out.close() }
        var written: UInt64 = 0
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                written += UInt64(chunk.count)
                guard written <= maximumSize else { throw WalletInputError("\(entry.path) is larger than its header claims") }
                try out.write(contentsOf: chunk)
            }
        } catch let error as WalletInputError {
            throw error
        } catch {
            throw WalletInputError("\(entry.path) in \(zip.lastPathComponent) cannot be extracted (damaged archive)")
        }
        return target
    }
}
