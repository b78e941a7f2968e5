import Foundation

/// Where the parts of a zk-STARK v1 data set sit (SPEC §3.2).
public enum StarkV1Layout {
    static func isDirectory(_ path: String) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
    }

    static func isFile(_ path: String) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &d) && !d.boolValue
    }

    /// The `sum_proof_data` folder: the path itself when it holds `config.json` and `batches/` or
    /// `trunk/`, or its `sum_proof_data` subfolder. nil when neither.
    public static func sumProofFolder(in path: String) -> String? {
        func looksLikeSumProof(_ p: String) -> Bool {
            isFile(p + "/config.json") && (isDirectory(p + "/batches") || isDirectory(p + "/trunk"))
        }
        if looksLikeSumProof(path) { return path }
        let sub = (path as NSString).appendingPathComponent("sum_proof_data")
        if looksLikeSumProof(sub) { return sub }
        return nil
    }

    /// The batch folders (every immediate subfolder of `batches/`), sorted by name
    /// (OKX takes os.walk order; the order does not change a sum).
    static func batchFolders(_ sumProofFolder: String) throws -> [String] {
        let batches = sumProofFolder + "/batches"
        guard isDirectory(batches) else { throw InputError(file: batches, "folder is missing") }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: batches) } catch {
            throw InputError(file: batches, "cannot be listed (\(error.localizedDescription))")
        }
        return names.sorted().map { batches + "/" + $0 }.filter { isDirectory($0) }
    }

    /// Inclusion proof files in a folder (names containing "inclusion_proof" and ending ".json"), recursively.
    /// A plain readdir walk (Foundation's enumerator costs more than verifying the files); like
    /// it, entries of any type are listed by name and symbolic links are not descended into.
    public static func inclusionProofFiles(in folder: String) -> [String] {
        var out = [String]()
        func walk(_ relative: String) {
            let path = relative.isEmpty ? folder : folder + "/" + relative
            guard let dir = opendir(path) else { return }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: entry.pointee.d_name) { raw in
                    raw.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) { String(cString: $0) }
                }
                if name == "." || name == ".." { continue }
                let rel = relative.isEmpty ? name : relative + "/" + name
                if name.contains("inclusion_proof"), name.hasSuffix(".json") { out.append(folder + "/" + rel) }
                var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
                if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                    var info = stat()
                    isDirectory = lstat(folder + "/" + rel, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
                }
                if isDirectory { walk(rel) }
            }
        }
        walk("")
        return out.sorted()
    }
}
