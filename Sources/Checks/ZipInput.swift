import Foundation
import Liabilities
import ZIPFoundation

/// Reads one file out of a zip archive (OKX ships `sum_proof_data.json` zipped), with a cap on
/// the uncompressed size so a hostile archive cannot fill memory.
public enum ZipInput {
    public static func isZip(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 4)) ?? Data()
        return magic == Data([0x50, 0x4B, 0x03, 0x04])
    }

    /// The bytes of the first entry whose file name is `name` (in any folder of the archive).
    public static func extract(named name: String, from path: String, maximumSize: Int = JSONInput.defaultMaximumSize) throws -> Data {
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
            throw InputError(file: path, "is not a readable zip archive")
        }
        guard let entry = archive.first(where: { $0.type == .file && URL(fileURLWithPath: $0.path).lastPathComponent == name }) else {
            let names = archive.prefix(5).map(\.path).joined(separator: ", ")
            throw InputError(file: path, "the zip holds no \(name) (it holds: \(names.isEmpty ? "nothing" : names))")
        }
        guard entry.uncompressedSize <= UInt64(maximumSize) else {
            throw InputError(file: path, "\(name) in the zip is \(entry.uncompressedSize) bytes, more than porcheck accepts")
        }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard data.count + chunk.count <= maximumSize else { throw InputError(file: path, "\(name) in the zip is larger than it claims") }
                data.append(chunk)
            }
        } catch let e as InputError {
            throw e
        } catch {
            throw InputError(file: path, "\(name) in the zip cannot be extracted (damaged archive)")
        }
        return data
    }
}
