import Foundation
import Reserves
import WalletDownload

// porcheck-fetch URL FOLDER MAX_BYTES TIMEOUT_SECONDS ALLOW_HTTP(0|1)
// porcheck-fetch relay [--ca-file FILE]
//
// Downloads one wallet list for `porcheck wallets`. It is a separate program so that porcheck
// itself does not load libcurl and its thirty libraries (FoundationNetworking) on every start.
// Protocol: progress lines `progress DONE TOTAL` on standard error, the downloaded file's path
// on standard output, exit 0; on failure one line `error: MESSAGE` on standard error, exit 2.
//
// `relay`: TLS for `porcheck balances`' https:// nodes, for one run (Relay.swift), so that
// porcheck does not load OpenSSL either.
let args = CommandLine.arguments
if args.count >= 2, args[1] == "relay" { Relay.run(Array(args.dropFirst(2))) }
guard args.count == 6, let url = URL(string: args[1]), let maxBytes = Int64(args[3]), let timeout = Double(args[4]) else {
    FileHandle.standardError.write(Data("error: usage: porcheck-fetch URL FOLDER MAX_BYTES TIMEOUT_SECONDS ALLOW_HTTP\n".utf8))
    exit(2)
}
var options = WalletListDownload.Options()
options.maximumBytes = maxBytes
options.timeout = timeout
options.allowInsecureHTTP = args[5] == "1"
do {
    let file = try WalletListDownload.download(url, to: URL(fileURLWithPath: args[2]), options: options) { done, total in
        FileHandle.standardError.write(Data("progress \(done) \(total)\n".utf8))
    }
    print(file.path)
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(2)
}
