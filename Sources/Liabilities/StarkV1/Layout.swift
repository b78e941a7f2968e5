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
    public static func inclusionProofFiles(in folder: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out = [String]()
        while let rel = e.nextObject() as? String {
            let name = (rel as NSString).lastPathComponent
            if name.contains("inclusion_proof"), name.hasSuffix(".json") { out.append(folder + "/" + rel) }
        }
        return out.sorted()
    }
}
