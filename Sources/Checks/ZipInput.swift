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
        return ZipSignature.matches(magic)
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

    /// Extracts a whole archive into `folder` (which must be empty or new), refusing entries that
    /// would land outside it, links, and more than `maximumTotal` bytes or `maximumEntries` entries.
    /// Returns the folder holding the content: `folder`, or its only subfolder when the archive
    /// wraps everything in one.
    public static func extractAll(from path: String, to folder: URL, maximumTotal: UInt64 = 4 << 30,
                                  maximumEntries: Int = 200_000) throws -> URL {
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
            throw InputError(file: path, "is not a readable zip archive")
        }
        var total: UInt64 = 0
        var count = 0
        let root = folder.standardizedFileURL.path
        for entry in archive {
            count += 1
            guard count <= maximumEntries else { throw InputError(file: path, "the zip has more than \(maximumEntries) entries") }
            let target = folder.appendingPathComponent(entry.path).standardizedFileURL
            guard target.path.hasPrefix(root + "/") else { throw InputError(file: path, "the zip entry \(entry.path) points outside the folder") }
            switch entry.type {
            case .directory:
                try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            case .symlink:
                throw InputError(file: path, "the zip holds a symbolic link (\(entry.path)); porcheck does not follow links from archives")
            case .file:
                total += entry.uncompressedSize
                guard total <= maximumTotal else { throw InputError(file: path, "the zip unpacks to more than \(maximumTotal >> 20) MB") }
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                do { _ = try archive.extract(entry, to: target, skipCRC32: false) } catch {
                    throw InputError(file: path, "\(entry.path) in the zip cannot be extracted (damaged archive)")
                }
            }
        }
        let items = (try? FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") && $0 != "__MACOSX" }) ?? []
        if items.count == 1 {
            var isDirectory: ObjCBool = false
            let only = folder.appendingPathComponent(items[0])
            if FileManager.default.fileExists(atPath: only.path, isDirectory: &isDirectory), isDirectory.boolValue,
               items[0] != "sum_proof_data" {
                return only
            }
        }
        return folder
    }
}
