import Foundation
import NN

/// What every rank of a job must share before it trains: the options and the program itself.
///
/// Ranks started with different options (`mpirun -np 1 train-embeddings --epochs 5 : -np 1
/// train-embeddings --epochs 3`) or different builds would train different models, or hang in a
/// collective the other never calls; they refuse instead, saying which rank differs in what.
enum JobAgreement {
    static func check(arguments: [String], in group: ProcessGroup) throws(DistributedError) {
        try group.checkAgreement(on: "options \(arguments.joined(separator: " "))", what: "the ranks' options")
        try group.checkAgreement(on: "program \(programFingerprint())", what: "the ranks' train-embeddings builds")
    }

    /// A hash of this executable's bytes (FNV-1a, 64-bit): any two builds differ.
    static func programFingerprint() -> String {
        let path = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        guard let data = FileManager.default.contents(atPath: path)
                ?? FileManager.default.contents(atPath: CommandLine.arguments[0]) else { return "unknown" }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { bytes in
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
        }
        return String(hash, radix: 16) + " (\(data.count) bytes)"
    }
}
