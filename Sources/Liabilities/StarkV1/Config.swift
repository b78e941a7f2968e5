import Foundation

/// `config.json` of a STARK v1 data set (also embedded in every inclusion proof).
public struct StarkV1Config: Sendable, Equatable {
    public var mainCoinsNum: Int
    public var coins: [String]

    /// Coins beyond main_coins_num: they have no per-coin sum constraint, only the total binds them.
    public var coinsWithoutOwnProof: [String] { Array(coins.dropFirst(mainCoinsNum)) }

    static func read(_ object: JSONObject) throws -> StarkV1Config {
        let m = try object.uint64("main_coins_num")
        let coins = try object.strings("coins")
        guard !coins.isEmpty, coins.count <= 4096 else { throw InputError(file: object.file, "config lists \(coins.count) coins") }
        guard m <= UInt64(coins.count) else { throw InputError(file: object.file, "main_coins_num \(m) exceeds the \(coins.count) coins") }
        guard Set(coins).count == coins.count else { throw InputError(file: object.file, "config lists a coin twice") }
        guard !coins.contains("total_value") else { throw InputError(file: object.file, "config lists a coin named total_value") }
        return StarkV1Config(mainCoinsNum: Int(m), coins: coins)
    }

    public static func read(path: String) throws -> StarkV1Config {
        try read(try JSONObject(try JSONInput.parse(try JSONInput.readFile(path, maximumSize: 1 << 20), file: path), file: path))
    }
}
