#if canImport(Glibc)
import Glibc
#endif

/// This process's peak memory, as `porcheck bench` asks each porcheck it times to report it.
public enum PeakMemory {
    /// The environment variable naming the file a porcheck writes its peak memory (KiB) to at exit.
    public static let fileVariable = "PORCHECK_PEAK_RSS_FILE"

    /// VmHWM from /proc/self/status, in KiB (0 where /proc is absent). Read into a buffer on the
    /// stack: what is measured should not grow by the measuring (a heap buffer for the file
    /// would add its own pages to the figure).
    public static func selfPeakKiB() -> Int {
        let fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8192) { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            var count = 0
            while count < buffer.count {
                let n = read(fd, base + count, buffer.count - count)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                count += n
            }
            let text = UnsafeBufferPointer(start: base, count: count)
            let key = Array("VmHWM:".utf8)
            var i = 0
            while i + key.count <= count {
                if (i == 0 || text[i - 1] == 0x0A) && text[i..<(i + key.count)].elementsEqual(key) {
                    var value = 0
                    var j = i + key.count
                    while j < count, text[j] == 0x20 || text[j] == 0x09 { j += 1 }
                    while j < count, text[j] >= 0x30, text[j] <= 0x39 { value = value * 10 + Int(text[j] - 0x30); j += 1 }
                    return value
                }
                i += 1
            }
            return 0
        }
    }

    /// Writes `selfPeakKiB()` to the file `fileVariable` names, if it is set (called at exit).
    public static func reportIfAsked() {
        guard let path = getenv(fileVariable) else { return }
        let text = String(selfPeakKiB())
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return }
        _ = text.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }
}
