import Foundation

/// A file-level problem: the input is not a wallet list at all (HTML page, wrong delimiter, …).
public struct WalletInputError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One logical CSV record: its first physical line, and either its fields or why it is malformed.
struct CSVRecord: Sendable {
    let line: Int
    let fields: [String]
    let error: String?
    /// True for an empty or whitespace-only line.
    let isBlank: Bool
}

/// Reads a CSV file in fixed-size chunks, so memory does not grow with the file. A record ends at
/// a newline outside a quoted field; a field that starts with `"` is quoted (RFC 4180, `""` is a
/// quote), and commas inside `[ ]` or `{ }` do not split fields (OKX's own readers rely on this for
/// JSON public keys and bracketed lists). A record longer than `maxRecordBytes` is reported as a
/// malformed row and skipped up to the next newline.
final class CSVRecordReader {
    let handle: FileHandle
    let chunkSize: Int
    let maxRecordBytes: Int
    let fileName: String
    var buffer = [UInt8]()
    var position = 0
    var eof = false
    var physicalLine = 1
    var atStart = true

    init(url: URL, chunkSize: Int = 1 << 20, maxRecordBytes: Int = 1 << 20) throws {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw WalletInputError("cannot open \(url.path)")
        }
        self.handle = handle
        self.chunkSize = chunkSize
        self.maxRecordBytes = maxRecordBytes
        self.fileName = url.lastPathComponent
    }

    deinit { try? handle.close() }

    /// Appends the next chunk; false at end of file.
    func fill() throws -> Bool {
        if eof { return false }
        let data: Data?
        do { data = try handle.read(upToCount: chunkSize) } catch {
            throw WalletInputError("\(fileName): read error: \(error.localizedDescription)")
        }
        guard let data, !data.isEmpty else { eof = true; return false }
        if position > 0 { buffer.removeFirst(position); position = 0 }
        buffer.append(contentsOf: data)
        if atStart {
            atStart = false
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3) }
        }
        return true
    }

    /// The next record, or nil at end of file.
    func next() throws -> CSVRecord? {
        var scan = position
        var inQuotes = false
        var fieldStart = true
        var newlines = 0
        let startLine = physicalLine
        while true {
            if scan >= buffer.count {
                let consumed = scan - position
                if consumed > maxRecordBytes { return try skipLongRecord(startLine: startLine) }
                if try !fill() {
                    if position >= buffer.count { return nil }
                    let bytes = Array(buffer[position..<buffer.count])
                    position = buffer.count
                    physicalLine += newlines
                    return makeRecord(bytes, line: startLine, unterminated: inQuotes)
                }
                scan = position + consumed
                continue
            }
            let c = buffer[scan]
            if inQuotes {
                if c == 0x22 {
                    if scan + 1 < buffer.count, buffer[scan + 1] == 0x22 { scan += 2; continue }
                    if scan + 1 >= buffer.count, !eof {
                        // A quote at the chunk boundary: read more before deciding.
                        let consumed = scan - position
                        if try fill() { scan = position + consumed; continue }
                    }
                    inQuotes = false
                } else if c == 0x0A {
                    newlines += 1
                }
                scan += 1
                if scan - position > maxRecordBytes { return try skipLongRecord(startLine: startLine) }
                continue
            }
            if c == 0x0A {
                let bytes = Array(buffer[position..<scan])
                position = scan + 1
                physicalLine += newlines + 1
                return makeRecord(bytes, line: startLine, unterminated: false)
            }
            if c == 0x22 && fieldStart { inQuotes = true }
            fieldStart = c == 0x2C
            scan += 1
            if scan - position > maxRecordBytes { return try skipLongRecord(startLine: startLine) }
        }
    }

    /// Drops bytes up to the next newline without keeping them.
    func skipLongRecord(startLine: Int) throws -> CSVRecord {
        while true {
            if let nl = buffer[position...].firstIndex(of: 0x0A) {
                position = nl + 1
                break
            }
            position = buffer.count
            if try !fill() { break }
        }
        physicalLine = startLine + 1
        return CSVRecord(line: startLine, fields: [], error: "line \(startLine) is longer than \(maxRecordBytes) bytes (or has an unterminated quote); row skipped", isBlank: false)
    }

    func makeRecord(_ raw: [UInt8], line: Int, unterminated: Bool) -> CSVRecord {
        var bytes = raw[...]
        if bytes.last == 0x0D { bytes = bytes.dropLast() }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            return CSVRecord(line: line, fields: [], error: nil, isBlank: true)
        }
        if unterminated {
            return CSVRecord(line: line, fields: [], error: "line \(line): quoted field is never closed", isBlank: false)
        }
        return CSVRecordReader.split(bytes, line: line)
    }

    /// Splits a record on commas outside quotes and outside [ ] / { } nesting.
    static func split(_ bytes: ArraySlice<UInt8>, line: Int) -> CSVRecord {
        var fields = [String]()
        var current = [UInt8]()
        var depth = 0
        var quoted = false, inQuotes = false
        var i = bytes.startIndex
        func finish() -> String? {
            defer { current.removeAll(keepingCapacity: true) }
            return String(validating: current, as: UTF8.self)
        }
        while i < bytes.endIndex {
            let c = bytes[i]
            if inQuotes {
                if c == 0x22 {
                    if i + 1 < bytes.endIndex, bytes[i + 1] == 0x22 { current.append(0x22); i += 2; continue }
                    inQuotes = false
                } else {
                    current.append(c)
                }
                i += 1
                continue
            }
            if c == 0x22 && current.isEmpty && !quoted && depth == 0 {
                quoted = true; inQuotes = true; i += 1; continue
            }
            if c == 0x5B || c == 0x7B { depth += 1 }
            if (c == 0x5D || c == 0x7D) && depth > 0 { depth -= 1 }
            if c == 0x2C && depth == 0 {
                guard let field = finish() else {
                    return CSVRecord(line: line, fields: [], error: "line \(line) column \(fields.count + 1): bytes are not valid UTF-8", isBlank: false)
                }
                fields.append(field)
                quoted = false
                i += 1
                continue
            }
            current.append(c)
            i += 1
        }
        guard let field = finish() else {
            return CSVRecord(line: line, fields: [], error: "line \(line) column \(fields.count + 1): bytes are not valid UTF-8", isBlank: false)
        }
        fields.append(field)
        return CSVRecord(line: line, fields: fields, error: nil, isBlank: false)
    }
}
