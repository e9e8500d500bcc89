// The data-parallel equivalence checks over MPI: run with `mpirun -np N distributed-check` (N a
// power of two; `.ci/run` runs 2 and 4). Every rank trains its share of each batch; every rank also
// trains one process on the whole batch and compares: the table bit for bit, dense parameters
// within a bound, and all ranks' bits alike. Then the checks that mismatched ranks refuse.
import DistributedScenarios
import Foundation
import NN

let group: ProcessGroup
do {
    group = try ProcessGroup.mpi()
} catch {
    FileHandle.standardError.write(Data("distributed-check: \(error)\n".utf8))
    exit(2)
}
var failures: [String] = []

for kind in DataParallelTraining.OptimizerKind.allCases {
    for withDenseLayer in [false, true] {
        let training = DataParallelTraining(optimizer: kind, withDenseLayer: withDenseLayer)
        let case_ = "\(kind.rawValue)\(withDenseLayer ? " + linear" : "")"
        do {
            let distributed = try training.run(group: group, globalBatchSize: 4 * group.size)
            let reference = try training.run(group: .single, globalBatchSize: 4 * group.size)
            failures += training.differences(distributed: distributed, reference: reference).map { "\(case_), rank \(group.rank): \($0)" }
            // Every rank must hold the same bits: rank 0's parameters against each rank's.
            for (index, parameter) in distributed.enumerated() {
                let rankZero = try group.broadcast(parameter, from: 0)
                if rankZero.scalars.map(\.bitPattern) != parameter.scalars.map(\.bitPattern) {
                    failures.append("\(case_): rank \(group.rank)'s parameter \(index) differs from rank 0's")
                }
            }
        } catch {
            failures.append("\(case_), rank \(group.rank): \(error)")
        }
    }
}

// Ranks that disagree are told so, on every rank, and nothing hangs.
do {
    try group.checkAgreement(on: "options of rank \(group.rank)", what: "training options")
    if group.size > 1 { failures.append("rank \(group.rank): different options were accepted") }
} catch DistributedError.ranksDisagree(let operation, _) where operation == "training options" {
} catch {
    failures.append("rank \(group.rank): option check threw \(error)")
}
do {
    _ = try group.allreduce(Tensor<Float>.zeros([group.rank + 1]))
    if group.size > 1 { failures.append("rank \(group.rank): allreduce of different shapes was accepted") }
} catch DistributedError.ranksDisagree {
} catch {
    failures.append("rank \(group.rank): allreduce threw \(error)")
}

let all = try group.allgather(bytes: Array(failures.joined(separator: "\n").utf8))
if group.rank == 0 {
    let report = all.map { String(decoding: $0, as: UTF8.self) }.filter { !$0.isEmpty }
    if report.isEmpty {
        print("distributed-check: \(group.size) ranks (\(group.mpiLibraryVersion ?? "?")): SGD, SGD with momentum and Adam, with and without a dense layer, agree with one process; mismatched ranks refuse")
    } else {
        print("distributed-check FAILED:\n" + report.joined(separator: "\n"))
    }
}
exit(all.allSatisfy(\.isEmpty) ? 0 : 1)
