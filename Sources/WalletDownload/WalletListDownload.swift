import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hashing
import Reserves

/// Downloads a wallet list over https (plain http only to loopback or when explicitly allowed),
/// streaming to a folder with a size cap, a timeout and progress reports; the file is named by
/// the SHA-256 of its content.
public enum WalletListDownload {
    public struct Options: Sendable {
        public var maximumBytes: Int64 = 2 << 30
        /// Seconds without any data before giving up.
        public var timeout: TimeInterval = 60
        public var allowInsecureHTTP = false
        public init() {}
    }

    /// Downloads `url` into `folder`; `progress(bytesSoFar, expectedTotal or -1)`.
    public static func download(_ url: URL, to folder: URL, options: Options = Options(),
                                progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }) throws -> URL {
        let scheme = url.scheme?.lowercased() ?? ""
        let host = url.host ?? ""
        let loopback = host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]"
        switch scheme {
        case "https": break
        case "http":
            guard loopback || options.allowInsecureHTTP else {
                throw WalletInputError("refusing plain http for \(host) (use https, or allow insecure http explicitly)")
            }
        default:
            throw WalletInputError("unsupported URL scheme '\(scheme)' in \(url.absoluteString)")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let partial = folder.appendingPathComponent(".download-\(UUID().uuidString).part")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: partial) else {
            throw WalletInputError("cannot write into \(folder.path)")
        }
        let delegate = StreamingDelegate(handle: handle, maximumBytes: options.maximumBytes,
                                         allowInsecureHTTP: options.allowInsecureHTTP || (scheme == "http" && loopback),
                                         progress: progress)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = options.timeout
        configuration.timeoutIntervalForResource = max(options.timeout, 3600)
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        var request = URLRequest(url: url)
        request.timeoutInterval = options.timeout
        session.dataTask(with: request).resume()
        delegate.done.wait()
        session.finishTasksAndInvalidate()
        try? handle.close()
        if let failure = delegate.failure {
            try? FileManager.default.removeItem(at: partial)
            throw WalletInputError("download of \(url.absoluteString) failed: \(failure)")
        }
        let digest = delegate.finishDigest()
        let target = folder.appendingPathComponent(digest + (url.pathExtension.isEmpty ? "" : "." + url.pathExtension))
        try? FileManager.default.removeItem(at: target)
        do { try FileManager.default.moveItem(at: partial, to: target) } catch {
            throw WalletInputError("cannot move the download to \(target.path)")
        }
        return target
    }
}

/// Writes response bytes to disk as they arrive and hashes them on the way.
final class StreamingDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let handle: FileHandle
    let maximumBytes: Int64
    /// Whether a redirect may lead to plain http.
    let allowInsecureHTTP: Bool
    let progress: @Sendable (Int64, Int64) -> Void
    let done = DispatchSemaphore(value: 0)
    var received: Int64 = 0
    var expected: Int64 = -1
    var failure: String?
    var hasher = IncrementalSHA256()

    init(handle: FileHandle, maximumBytes: Int64, allowInsecureHTTP: Bool, progress: @escaping @Sendable (Int64, Int64) -> Void) {
        self.handle = handle
        self.maximumBytes = maximumBytes
        self.allowInsecureHTTP = allowInsecureHTTP
        self.progress = progress
    }

    func finishDigest() -> String { Hex.encode(hasher.finish()) }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        if let http = response as? HTTPURLResponse, !(200...299).contains(http.statusCode) {
            if failure == nil { failure = "HTTP status \(http.statusCode)" }
            completionHandler(.cancel)
            return
        }
        expected = response.expectedContentLength
        if expected > maximumBytes {
            failure = "the server announces \(expected) bytes, over the \(maximumBytes)-byte cap"
            completionHandler(.cancel)
            return
        }
        completionHandler(.allow)
    }

    /// An https download must not be redirected to plain http.
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        if request.url?.scheme?.lowercased() == "https" || allowInsecureHTTP {
            completionHandler(request)
        } else {
            failure = "redirected to a non-https URL (\(request.url?.absoluteString.prefix(80) ?? "?")); refused"
            completionHandler(nil)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard failure == nil else { return }
        received += Int64(data.count)
        if received > maximumBytes {
            failure = "more than \(maximumBytes) bytes received (size cap)"
            dataTask.cancel()
            return
        }
        do { try handle.write(contentsOf: data) } catch {
            failure = "cannot write the download: \(error.localizedDescription)"
            dataTask.cancel()
            return
        }
        hasher.update([UInt8](data))
        progress(received, expected)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if let error, failure == nil {
            let nsError = error as NSError
            if nsError.code == NSURLErrorTimedOut {
                failure = "timed out (no data for the timeout period)"
            } else if nsError.code == NSURLErrorCannotConnectToHost {
                failure = "cannot connect to the host (connection refused)"
            } else {
                failure = error.localizedDescription
            }
        }
        done.signal()
    }
}
