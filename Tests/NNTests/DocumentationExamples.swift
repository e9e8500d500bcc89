// Generated from the ```swift examples of Sources/ by DocumentationExamplesTests: do not edit.
// An example whose comments state a result is a function of ExecutedDocumentationExamples,
// run by the tests with each stated result checked; the others are compiled, never called.
import Foundation
import NN
import Testing

// Sources/Autograd/Autograd.docc/Autograd.md, example 1: run, 3 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Autograd_Autograd_docc_Autograd_1(_ stated: StatedResults) throws {

        let weight = Parameter(Tensor<Float>([1, 2, 3]))
        let loss = (weight * weight).sum()
        show(loss.backward())
        stated.check(weight.grad?.scalars, "[2, 4, 6]", line: 6)  // [2, 4, 6]
        stated.check(loss.gradFunctionName, "\"SumBackward0\"", line: 7)  // "SumBackward0"

        let rows = try weight.reshaped([3, 1]).indexSelect(rows: Tensor<Int64>([2, 2, 0]))
        show(rows.sum().backward())
        show(weight.gradient)  // accumulated; a lookup's gradient is stored row-sparse

        let check = gradCheck(inputs: [Tensor<Double>([1, 2, 3])]) { v in (v[0] * v[0]).sum() }
        stated.check(check.passed, "true", line: 14)  // true: analytic and numerical gradients agree
        show((weight, loss, rows, check))
    }
}

// Sources/Autograd/Backward.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Autograd_Backward_1(_ stated: StatedResults) throws {
        let gradient = RowSparseGradient(rowIndices: Tensor<Int64>([2, 0, 2]),
                                         values: Tensor<Float>.ones([3, 4]), rowCount: 5)
        stated.check(gradient.densified().shape, "[5, 4]", line: 3)  // [5, 4]: row 2 holds 2s, row 0 holds 1s, the rest 0s
        show((gradient))
    }
}

// Sources/Autograd/Backward.swift, example 2: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Autograd_Backward_2(_ stated: StatedResults) throws {
        let x = Parameter(Tensor<Double>([3]))
        show((x * x).sum().backward())
        stated.check(x.grad?.scalars, "[6]", line: 3)  // [6]
        show((x))
    }
}

// Sources/Autograd/GradientCheck.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Autograd_GradientCheck_1(_ stated: StatedResults) throws {
        let result = gradCheck(inputs: [Tensor<Double>([1, 2, 3])]) { x in (x[0] * x[0]).sum() }
        stated.check(result.passed, "true", line: 2)  // true
        show((result))
    }
}

// Sources/Autograd/GradientMode.swift, example 1: compiled only, uses the context's ids, model
private func example_Autograd_GradientMode_1() throws {
    let evaluation = try noGrad { try model(ids) }  // evaluation.requiresGrad == false
    show((evaluation))
}

// Sources/Autograd/GradientMode.swift, example 2: compiled only, uses the context's weight
private func example_Autograd_GradientMode_2() throws {
    let recorded = noGrad { enableGrad { weight * 2 } }  // recorded.requiresGrad == true
    show((recorded))
}

// Sources/Autograd/Ops/IndexingOps.swift, example 1: compiled only, states no result
private func example_Autograd_Ops_IndexingOps_1() throws {
    let table = Parameter(Tensor<Float>.zeros([10, 4]))
    let rows = try table.indexSelect(rows: Tensor<Int64>([3, 3, 7]))  // shape [3, 4]
    show((table, rows))
}

// Sources/Autograd/Ops/LinearAlgebraOps.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Autograd_Ops_LinearAlgebraOps_1(_ stated: StatedResults) throws {
        let x = Variable(Tensor<Float>.ones([8, 3, 4]))
        let w = Parameter(Tensor<Float>.ones([2, 4]))
        stated.check(x.linear(weight: w, bias: nil).shape, "[8, 3, 2]", line: 3)  // [8, 3, 2]
        show((x, w))
    }
}

// Sources/Autograd/Ops/LinearAlgebraOps.swift, example 2: compiled only, states no result
private func example_Autograd_Ops_LinearAlgebraOps_2() throws {
    let w = Parameter(Tensor<Float>.ones([3, 2]))
    let y = Tensor<Float>.ones([4, 3]).matmul(w)  // Variable, shape [4, 2]
    show((w, y))
}

// Sources/Autograd/Variable.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Autograd_Variable_1(_ stated: StatedResults) throws {
        let p = Parameter(Tensor<Float>([1, 2, 3]))
        let loss = (p * p).sum()
        show(loss.backward())
        stated.check(p.grad?.scalars, "[2, 4, 6]", line: 4)  // [2, 4, 6]
        show((p, loss))
    }
}

// Sources/Autograd/Variable.swift, example 2: compiled only, uses the context's embedding, ids
private func example_Autograd_Variable_2() throws {
    let loss = try embedding(ids).sum()
    show(loss.backward())
    show(embedding.weight.grad?.shape)  // [vocabularySize, embeddingSize]
    show((loss))
}

// Sources/Autograd/Variable.swift, example 3: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Autograd_Variable_3(_ stated: StatedResults) throws {
        let weight = Parameter(Tensor<Float>.zeros([3, 2]))
        stated.check(weight.requiresGrad, "true", line: 2)  // true
        show((weight))
    }
}

// Sources/Autograd/Variable.swift, example 4: compiled only, states no result
private func example_Autograd_Variable_4() throws {
    let table = Parameter(Tensor<Float>.zeros([10, 4]))
    table.isSparse = true
    show((table))
}

// Sources/Autograd/VariableValueAccess.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Autograd_VariableValueAccess_1(_ stated: StatedResults) throws {
        let loss = (Parameter(Tensor<Float>([1, 2])) * 2).sum()
        stated.check(loss.item(), "6", line: 2)  // 6
        show((loss))
    }
}

// Sources/Autograd/VariableValueAccess.swift, example 2: compiled only, uses the context's logits
private func example_Autograd_VariableValueAccess_2() throws {
    let predictions = logits.argmax(axis: -1)  // Tensor<Int64>
    show((predictions))
}

// Sources/NN/Analysis/CosineNeighbors.swift, example 1: compiled only, uses the context's catID, model
private func example_NN_Analysis_CosineNeighbors_1() throws {
    let neighbors = CosineNeighbors(table: model.token.weight.value)
    show(neighbors.nearest(to: catID, count: 5))  // [(row: 17, similarity: 0.93), …]
    show(neighbors.precision(atK: 5, labels: [catID: "animal", dogID: "animal", breadID: "food"]))
    show((neighbors))
}

// Sources/NN/Analysis/CountBaselines.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Analysis_CountBaselines_1(_ stated: StatedResults) throws {
        let baselines = CountBaselines(training: [0, 1, 0, 1, 0, 2], heldOut: [0, 1, 0], vocabularySize: 3)
        stated.check(baselines.bigram < baselines.unigram, "true", line: 2)  // true: 1 follows 0
        show((baselines))
    }
}

// Sources/NN/Analysis/PrincipalComponents.swift, example 1: compiled only, uses the context's catID, model
private func example_NN_Analysis_PrincipalComponents_1() throws {
    let pca = PrincipalComponents(of: model.token.weight.value, count: 2)
    show(pca.projections[catID])  // [x, y]
    show(pca.variances)  // variance along each direction, largest first
    show((pca))
}

// Sources/NN/Analysis/UnigramEntropy.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Analysis_UnigramEntropy_1(_ stated: StatedResults) throws {
        stated.check(unigramEntropy(of: [1, 1, 2, 3]), "1.0397", line: 1)  // 1.0397 (= −½ ln ½ − 2 · ¼ ln ¼)
    }
}

// Sources/NN/Checkpoint.swift, example 1: compiled only, touches files (URL()
private func example_NN_Checkpoint_1() throws {
    try show(model.save(to: URL(fileURLWithPath: "model.safetensors"), metadata: ["step": "1000"]))
}

// Sources/NN/Checkpoint.swift, example 2: compiled only, touches files (URL()
private func example_NN_Checkpoint_2() throws {
    try show(model.load(from: URL(fileURLWithPath: "model.safetensors")))
    let skipped = try model.load(from: url, strict: false)  // skipped.unexpected: the other tensors
    show((skipped))
}

// Sources/NN/Corpus/SentenceBatch.swift, example 1: compiled only, uses the context's batch
private func example_NN_Corpus_SentenceBatch_1() throws {
    for sentence in 0..<batch.sentenceCount {
        let ids = batch.sentence(sentence)    // the ids of one sentence, in order
        print(ids.count)
    }
}

// Sources/NN/Corpus/WordCorpus.swift, example 1: compiled only, uses the context's url
private func example_NN_Corpus_WordCorpus_1() throws {
    let counts = try WordCounts(contentsOf: url)
    let vocabulary = counts.vocabulary(minimumCount: 5)
    let corpus = WordCorpus(contentsOf: url, vocabulary: vocabulary)
    for epoch in 0..<5 {
        try corpus.forEachBatch { batch in
            print(epoch, batch.index, batch.sentenceCount, batch.wordIDs.count, batch.rawWordCount)
        }
    }
    show((counts, vocabulary, corpus))
}

// Sources/NN/Corpus/WordCorpus.swift, example 2: compiled only, touches files (FileManager)
private func example_NN_Corpus_WordCorpus_2() throws {
    let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
    let halves = [0..<size / 2, size / 2..<size].map {
        WordCorpus(contentsOf: url, vocabulary: vocabulary, byteRange: $0)
    }
    show((size, halves))
}

// Sources/NN/Corpus/WordCounts.swift, example 1: compiled only, uses the context's url
private func example_NN_Corpus_WordCounts_1() throws {
    let counts = try WordCounts(contentsOf: url)
    show(counts.totalWordCount)  // every word of the text
    show(counts.distinctWordCount)
    show(counts.count(of: "the"))
    let vocabulary = counts.vocabulary(minimumCount: 5)
    show((counts, vocabulary))
}

// Sources/NN/Corpus/WordCounts.swift, example 2: compiled only, uses the context's fileSize, url
private func example_NN_Corpus_WordCounts_2() throws {
    let halves = try [0..<fileSize / 2, fileSize / 2..<fileSize].map { try WordCounts(contentsOf: url, byteRange: $0) }
    let whole = WordCounts(combining: halves)  // as WordCounts(contentsOf: url)
    show((halves, whole))
}

// Sources/NN/Corpus/WordCounts.swift, example 3: compiled only, uses the context's fileSize, url
private func example_NN_Corpus_WordCounts_3() throws {
    let halves = try [0..<fileSize / 2, fileSize / 2..<fileSize].map { try WordCounts(contentsOf: url, byteRange: $0) }
    show(WordCounts(combining: halves).totalWordCount)  // the whole file's
    show((halves))
}

// Sources/NN/Corpus/WordCounts.swift, example 4: compiled only, uses the context's counts
private func example_NN_Corpus_WordCounts_4() throws {
    show(counts.forEachWord { word, count in print(word, count) })
}

// Sources/NN/Corpus/WordCounts.swift, example 5: compiled only, uses the context's counts
private func example_NN_Corpus_WordCounts_5() throws {
    let vocabulary = counts.vocabulary(minimumCount: 5)
    show(vocabulary.words.prefix(3))  // the most frequent words: [",", "the", "."] in an English text
    show(vocabulary.retainedWordCount)  // the words of the text the vocabulary keeps
    show((vocabulary))
}

// Sources/NN/Corpus/WordVocabulary.swift, example 1: compiled only, uses the context's url
private func example_NN_Corpus_WordVocabulary_1() throws {
    let vocabulary = try WordCounts(contentsOf: url).vocabulary(minimumCount: 5)
    show(vocabulary.count)  // the number of words kept
    show(vocabulary.id(of: "the"))  // a small id in an English text: it is among the most frequent words
    show(vocabulary.words[0])  // the most frequent word
    show(vocabulary.counts[0])  // how often it occurs
    show((vocabulary))
}

// Sources/NN/Corpus/WordVocabulary.swift, example 2: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Corpus_WordVocabulary_2(_ stated: StatedResults) throws {
        let vocabulary = WordVocabulary(words: ["the", "cat"], counts: [7, 2], totalWordCount: 12)
        stated.check(vocabulary.id(of: "cat"), "1", line: 2)  // 1
        stated.check(vocabulary.retainedWordCount, "9", line: 3)  // 9
        show((vocabulary))
    }
}

// Sources/NN/Corpus/WordVocabulary.swift, example 3: compiled only, uses the context's vocabulary
private func example_NN_Corpus_WordVocabulary_3() throws {
    let id = Array("cat".utf8).withUnsafeBytes { vocabulary.id(ofUTF8: $0) }
    show((id))
}

// Sources/NN/Data/DataLoader.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Data_DataLoader_1(_ stated: StatedResults) throws {
        show(manualSeed(123))
        let dataset = SlidingWindowDataset(tokens: 0...10, maxLength: 1, stride: 1)
        for (input, _) in DataLoader(dataset, batchSize: 4, shuffle: true) {
            stated.check(input.scalars, "[8, 2, 6, 7]", "[0, 3, 9, 1]", "[5, 4]", line: 4)  // [8, 2, 6, 7], then [0, 3, 9, 1], then [5, 4]
        }
        show((dataset))
    }
}

// Sources/NN/Data/DataLoader.swift, example 2: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Data_DataLoader_2(_ stated: StatedResults) throws {
        let dataset = SlidingWindowDataset(tokens: 0...8, maxLength: 1, stride: 1)
        let loader = DataLoader(dataset, batchSize: 2)
        stated.check(loader.sharded(rank: 1, of: 2).map { $0.0.scalars }, "[[2, 3], [6, 7]]", line: 3)  // [[2, 3], [6, 7]]
        show((dataset, loader))
    }
}

// Sources/NN/Data/DataLoader.swift, example 3: compiled only, uses the context's gpt2, rawText
private func example_NN_Data_DataLoader_3() throws {
    let loader = DataLoader(text: rawText, tokenizer: gpt2, batchSize: 8, maxLength: 4, stride: 4, shuffle: false)
    var batches = loader.makeIterator()  // data_iter = iter(dataloader)
    let (inputs, targets) = batches.next()!  // both [8, 4]
    show((loader, batches, inputs, targets))
}

// Sources/NN/Data/Dataset.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Data_Dataset_1(_ stated: StatedResults) throws {
        struct Squares: Dataset {
            var count: Int { 10 }
            subscript(index: Int) -> Int64 { Int64(index * index) }
            func batch(at indices: [Int]) -> Tensor<Int64> { Tensor(indices.map { self[$0] }) }
        }
        for batch in DataLoader(Squares(), batchSize: 4) { stated.check(batch.shape, "[4]", "[4]", "[2]", line: 6) }  // [4], [4], [2]
    }
}

// Sources/NN/Data/PlantedClassCorpus.swift, example 1: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Data_PlantedClassCorpus_1(_ stated: StatedResults) throws {
        let corpus = PlantedClassCorpus(sentenceCount: 3, seed: 1)
        stated.check(corpus.text, "\"the duck smells some bread . the dog steals some cheese near the kitchen . …\"", line: 2)  // "the duck smells some bread . the dog steals some cheese near the kitchen . …"
        stated.check(PlantedClassCorpus.wordClass(of: "fox"), "\"animal\"", line: 3)  // "animal"
        show((corpus))
    }
}

// Sources/NN/Data/SlidingWindowDataset.swift, example 1: run, 3 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Data_SlidingWindowDataset_1(_ stated: StatedResults) throws {
        let dataset = SlidingWindowDataset(tokens: [10, 11, 12, 13, 14, 15], maxLength: 2, stride: 2)
        stated.check(dataset.count, "2", line: 2)  // 2
        stated.check(dataset[1].input.scalars, "[12, 13]", line: 3)  // [12, 13]
        stated.check(dataset[1].target.scalars, "[13, 14]", line: 4)  // [13, 14]
        show((dataset))
    }
}

// Sources/NN/Distributed/DeltaExchange.swift, example 1: compiled only, uses the context's batchLoss, group, input, myShareOfTheText, output, sgd, timeToExchange
private func example_NN_Distributed_DeltaExchange_1() throws {
    let exchange = try DeltaExchange(parameters: [input.weight, output.weight], group: group)
    for batch in myShareOfTheText {
        try batchLoss(batch).backward()
        exchange.recordGradientRows()
        sgd.step(); sgd.zeroGrad()
        if timeToExchange { try exchange.exchange() }
    }
    try show(exchange.exchange())
    show((exchange))
}

// Sources/NN/Distributed/DeltaExchange.swift, example 2: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Distributed_DeltaExchange_2(_ stated: StatedResults) throws {
        let table = Embedding(vocabularySize: 6, embeddingSize: 3)
        let exchange = try DeltaExchange(parameters: [table.weight], group: .single)
        try show(exchange.exchange())
        stated.check(exchange.statistics.exchanges, "1", line: 4)  // 1
        show((table, exchange))
    }
}

// Sources/NN/Distributed/DistributedError.swift, example 1: compiled only, states no result
private func example_NN_Distributed_DistributedError_1() throws {
    do {
        let group = try ProcessGroup.mpi(library: "/no/such/libmpi.so")
        print(group.size)
    } catch {
        print(error)   // MPI library /no/such/libmpi.so could not be loaded: …
    }
}

// Sources/NN/Distributed/DistributedOptimizer.swift, example 1: compiled only, joins the MPI job when run under mpirun (ProcessGroup.world())
private func example_NN_Distributed_DistributedOptimizer_1() throws {
    let group = try ProcessGroup.world()
    let model = Embedding(vocabularySize: 6, embeddingSize: 3)
    let optimizer = try DistributedOptimizer(SGD(parameters: model.parameters, learningRate: 0.1),
                                             group: group)
    for (inputs, targets) in loader.sharded(for: group) {
        optimizer.zeroGrad()
        try lossFunction(model(inputs), targets).backward()
        optimizer.step()   // the ranks' gradients combined, then SGD's step
    }
    show((group, model, optimizer))
}

// Sources/NN/Distributed/ProcessGroup+Agreement.swift, example 1: compiled only, uses the context's group
private func example_NN_Distributed_ProcessGroup_Agreement_1() throws {
    try show(group.checkAgreement(on: "dimensions 100, window 5", what: "training options"))
    // with different values: "training options: the ranks disagree: rank 0 has …, rank 1 has …"
}

// Sources/NN/Distributed/ProcessGroup+Agreement.swift, example 2: compiled only, uses the context's group, url
private func example_NN_Distributed_ProcessGroup_Agreement_2() throws {
    let text = try group.collectively("reading the text") { try String(contentsOf: url, encoding: .utf8) }
    show((text))
}

// Sources/NN/Distributed/ProcessGroup+Parameters.swift, example 1: compiled only, uses the context's group
private func example_NN_Distributed_ProcessGroup_Parameters_1() throws {
    let model = Embedding(vocabularySize: 6, embeddingSize: 3)  // a different draw on each rank
    try show(group.broadcast(parameters: model.parameters))  // now rank 0's table everywhere
    show((model))
}

// Sources/NN/Distributed/ProcessGroup+Threads.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Distributed_ProcessGroup_Threads_1(_ stated: StatedResults) throws {
        let ranks = ProcessGroup.local(size: 3).concurrentMap { $0.rank }
        stated.check(ranks, "[0, 1, 2]", line: 2)  // [0, 1, 2]
        show((ranks))
    }
}

// Sources/NN/Distributed/ProcessGroup.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Distributed_ProcessGroup_1(_ stated: StatedResults) throws {
        let groups = ProcessGroup.local(size: 2)
        let sums = groups.concurrentMap { group in
            try! group.allreduce(Tensor<Float>([Float(group.rank + 1), 10]))
        }
        stated.check(sums[0].scalars, "[3.0, 20.0]", line: 5)  // [3.0, 20.0], on both ranks
        show((groups, sums))
    }
}

// Sources/NN/Distributed/ProcessGroup.swift, example 2: compiled only, joins the MPI job when run under mpirun (ProcessGroup.world())
private func example_NN_Distributed_ProcessGroup_2() throws {
    let group = try ProcessGroup.world()
    print("rank \(group.rank) of \(group.size)")  // rank 0 of 1 without mpirun
    show((group))
}

// Sources/NN/Distributed/ProcessGroup.swift, example 3: compiled only, loads an MPI library and joins its job (run under mpirun) (ProcessGroup.mpi())
private func example_NN_Distributed_ProcessGroup_3() throws {
    let group = try ProcessGroup.mpi()  // mpirun -np 4 ./program: ranks 0 to 3
    show((group))
}

// Sources/NN/Distributed/ProcessGroup.swift, example 4: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Distributed_ProcessGroup_4(_ stated: StatedResults) throws {
        let groups = ProcessGroup.local(size: 4)
        stated.check(groups.map(\.rank), "[0, 1, 2, 3]", line: 2)  // [0, 1, 2, 3]
        show((groups))
    }
}

// Sources/NN/Distributed/ProcessGroup.swift, example 5: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Distributed_ProcessGroup_5(_ stated: StatedResults) throws {
        let groups = ProcessGroup.local(size: 2)
        let all = groups.concurrentMap { try! $0.allgather(bytes: [UInt8]("rank \($0.rank)".utf8)) }
        stated.check(all[1].map { String(decoding: $0, as: UTF8.self) }, "[\"rank 0\", \"rank 1\"]", line: 3)  // ["rank 0", "rank 1"]
        show((groups, all))
    }
}

// Sources/NN/Distributed/ProcessGroup.swift, example 6: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Distributed_ProcessGroup_6(_ stated: StatedResults) throws {
        let groups = ProcessGroup.local(size: 2)
        let joined = groups.concurrentMap { group in
            try! group.allgather(Tensor<Int64>(shape: [group.rank + 1], scalars: Array(repeating: Int64(group.rank), count: group.rank + 1)))
        }
        stated.check(joined[0].scalars, "[0, 1, 1]", line: 5)  // [0, 1, 1]
        show((groups, joined))
    }
}

// Sources/NN/Distributed/ProcessGroup.swift, example 7: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Distributed_ProcessGroup_7(_ stated: StatedResults) throws {
        let groups = ProcessGroup.local(size: 2)
        let values = groups.concurrentMap { try! $0.broadcast(Tensor<Float>([Float($0.rank), 1]), from: 1) }
        stated.check(values[0].scalars, "[1.0, 1.0]", line: 3)  // [1.0, 1.0]
        show((groups, values))
    }
}

// Sources/NN/Distributed/ProcessGroup.swift, example 8: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Distributed_ProcessGroup_8(_ stated: StatedResults) throws {
        let groups = ProcessGroup.local(size: 2)
        let means = groups.concurrentMap { try! $0.allreduce(Tensor<Float>([Float($0.rank)]), average: true) }
        stated.check(means[1].scalars, "[0.5]", line: 3)  // [0.5]
        show((groups, means))
    }
}

// Sources/NN/Distributed/ShardedText.swift, example 1: compiled only, states no result
private func example_NN_Distributed_ShardedText_1() throws {
    show(ProcessGroup.local(size: 3)[1].byteRange(ofFileSize: 100))  // 33..<66
}

// Sources/NN/Distributed/ShardedText.swift, example 2: compiled only, uses the context's group, url
private func example_NN_Distributed_ShardedText_2() throws {
    let counts = try WordCounts(contentsOf: url, sharedBy: group)
    let vocabulary = counts.vocabulary(minimumCount: 5)  // the same on every rank
    show((counts, vocabulary))
}

// Sources/NN/Distributed/ShardedText.swift, example 3: compiled only, uses the context's group, url
private func example_NN_Distributed_ShardedText_3() throws {
    let pieces = try WordCounts.countsOfPieces(of: url, sharedBy: group)
    let mine = pieces[group.rank].totalWordCount  // the words this rank trains on
    let counts = WordCounts(combining: pieces)
    show((pieces, mine, counts))
}

// Sources/NN/Layers/Dropout.swift, example 1: compiled only, uses the context's x
private func example_NN_Layers_Dropout_1() throws {
    let dropout = Dropout(probability: 0.1, generator: Generator(seed: 0))  // Dropout<Float>
    let y = dropout(x)  // training: ≈10% zeros, the rest × 1/0.9
    show(dropout.eval()); show(dropout(x))  // x unchanged
    show((dropout, y))
}

// Sources/NN/Layers/Embedding.swift, example 1: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Layers_Embedding_1(_ stated: StatedResults) throws {
        show(manualSeed(123))
        let embedding = Embedding(vocabularySize: 6, embeddingSize: 3)
        stated.check(embedding.weight.value, "tensor([[ 0.3374, -0.1778, -0.1690],\n        [ 0.9178,  1.5810,  1.3010],\n        [ 1.2753, -0.2010, -0.1606],\n        [-0.4015,  0.9666, -1.1481],\n        [-1.1589,  0.3255, -0.6315],\n        [-2.8400, -0.7849, -1.4096]])", line: 3)
        // tensor([[ 0.3374, -0.1778, -0.1690],
        //         [ 0.9178,  1.5810,  1.3010],
        //         [ 1.2753, -0.2010, -0.1606],
        //         [-0.4015,  0.9666, -1.1481],
        //         [-1.1589,  0.3255, -0.6315],
        //         [-2.8400, -0.7849, -1.4096]])
        let rows = try embedding(Tensor<Int64>([3])); stated.check(rows, "[[-0.4015, 0.9666, -1.1481]]", line: 10)  // [[-0.4015, 0.9666, -1.1481]]
        show((embedding, rows))
    }
}

// Sources/NN/Layers/Embedding.swift, example 2: compiled only, states no result
private func example_NN_Layers_Embedding_2() throws {
    let vectors = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let embedding = Embedding(pretrained: vectors)  // weight.requiresGrad == false
    show((vectors, embedding))
}

// Sources/NN/Layers/Embedding.swift, example 3: compiled only, builds a 50257×256 table (slow)
private func example_NN_Layers_Embedding_3() throws {
    let embedding = Embedding(vocabularySize: 50257, embeddingSize: 256)
    let ids = Tensor<Int64>.randint(low: 0, high: 50257, shape: [8, 4])
    try show(embedding(ids).shape)  // [8, 4, 256]
    show((embedding, ids))
}

// Sources/NN/Layers/EmbeddingBag.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Layers_EmbeddingBag_1(_ stated: StatedResults) throws {
        let bag = EmbeddingBag(vocabularySize: 10, embeddingSize: 3, mode: .sum)
        let ids = Tensor<Int64>([1, 2, 4, 5, 4, 3, 2, 9])
        try stated.check(bag(ids, offsets: Tensor<Int64>([0, 4])).shape, "[2, 3]", line: 3)  // [2, 3]: rows 1+2+4+5 and 4+3+2+9
        show((bag, ids))
    }
}

// Sources/NN/Layers/LayerNorm.swift, example 1: compiled only, states no result
private func example_NN_Layers_LayerNorm_1() throws {
    let norm = LayerNorm(normalizedShape: [4])  // LayerNorm<Float>
    let y = norm(Variable(Tensor<Float>(shape: [2, 4], scalars: [1, 2, 3, 4, 2, 2, 2, 2])))
    // rows [-1.3416, -0.4472, 0.4472, 1.3416] and [0, 0, 0, 0]
    show((norm, y))
}

// Sources/NN/Layers/Linear.swift, example 1: compiled only, states no result
private func example_NN_Layers_Linear_1() throws {
    show(manualSeed(0))
    let layer = Linear(inputSize: 4, outputSize: 2)  // Linear<Float>
    let y = layer(Variable(Tensor<Float>.ones([8, 3, 4])))  // shape [8, 3, 2]
    show((layer, y))
}

// Sources/NN/Layers/Linear.swift, example 2: compiled only, states no result
private func example_NN_Layers_Linear_2() throws {
    let y = Linear(inputSize: 3, outputSize: 4)(Tensor.randn([2, 3]))  // Variable, shape [2, 4]
    show((y))
}

// Sources/NN/Layers/PositionalEmbedding.swift, example 1: compiled only, states no result
private func example_NN_Layers_PositionalEmbedding_1() throws {
    let token = Embedding(vocabularySize: 50257, embeddingSize: 256)
    let position = PositionalEmbedding(maxLength: 4, embeddingSize: 256)
    let ids = Tensor<Int64>.randint(low: 0, high: 50257, shape: [8, 4])
    let x = try token(ids) + position(length: 4)  // [8, 4, 256] + [4, 256] → [8, 4, 256]
    show((token, position, ids, x))
}

// Sources/NN/Layers/PositionalEncoding.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Layers_PositionalEncoding_1(_ stated: StatedResults) throws {
        let encodings: [any PositionalEncoding<Float>] = [
            PositionalEmbedding(maxLength: 16, embeddingSize: 8),
            SinusoidalPositionalEncoding(maxLength: 16, embeddingSize: 8),
        ]
        let x = Variable(Tensor<Float>.zeros([2, 16, 8]))
        for encoding in encodings { stated.check(try encoding.encoded(x).shape, "[2, 16, 8]", line: 6) }  // [2, 16, 8]
        show((encodings, x))
    }
}

// Sources/NN/Layers/RelativePositionalEmbedding.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Layers_RelativePositionalEmbedding_1(_ stated: StatedResults) throws {
        let relative = RelativePositionalEmbedding(maxDistance: 2, embeddingSize: 3)
        stated.check(relative(length: 5).shape, "[5, 5, 3]", line: 2)  // [5, 5, 3]; [i, j] holds row clamp(j - i, -2, 2) + 2
        show((relative))
    }
}

// Sources/NN/Layers/RotaryPositionalEmbedding.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Layers_RotaryPositionalEmbedding_1(_ stated: StatedResults) throws {
        let rope = RotaryPositionalEmbedding(embeddingSize: 64)
        let queries = Variable(Tensor<Float>.randn([2, 8, 16, 64]))  // [batch, heads, T, D]
        stated.check(rope(queries).shape, "[2, 8, 16, 64]", line: 3)  // [2, 8, 16, 64]
        show((rope, queries))
    }
}

// Sources/NN/Layers/SinusoidalPositionalEncoding.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Layers_SinusoidalPositionalEncoding_1(_ stated: StatedResults) throws {
        let encoding = SinusoidalPositionalEncoding(maxLength: 8, embeddingSize: 6)
        try stated.check(encoding(length: 2).value, "tensor([[0.0000, 1.0000, 0.0000, 1.0000, 0.0000, 1.0000],\n        [0.8415, 0.5403, 0.0464, 0.9989, 0.0022, 1.0000]])", line: 2)
        // tensor([[0.0000, 1.0000, 0.0000, 1.0000, 0.0000, 1.0000],
        //         [0.8415, 0.5403, 0.0464, 0.9989, 0.0022, 1.0000]])
        show((encoding))
    }
}

// Sources/NN/Layers/TokenAndPositionEmbedding.swift, example 1: compiled only, builds a 50257×256 table (slow)
private func example_NN_Layers_TokenAndPositionEmbedding_1() throws {
    let embedding = TokenAndPositionEmbedding(vocabularySize: 50257, embeddingSize: 256, maxLength: 4)
    let ids = Tensor<Int64>.randint(low: 0, high: 50257, shape: [8, 4])
    try show(embedding(ids).shape)  // [8, 4, 256]
    show(embedding.namedParameters.map(\.name))  // ["token.weight", "position.weight"]
    show((embedding, ids))
}

// Sources/NN/Losses/CrossEntropy.swift, example 1: compiled only, its stated loss differs from the code's in the 7th decimal (see compileOnlyExamples)
private func example_NN_Losses_CrossEntropy_1() throws {
    let logits = Variable(Tensor<Float>(nested: [[2, 0, 0], [0, 0, 2]]), requiresGrad: true)
    let loss = try crossEntropy(logits: logits, targets: Tensor<Int64>([0, 2]))
    show(loss.value.scalar)  // 0.2395447
    show((logits, loss))
}

// Sources/NN/Losses/MeanSquaredError.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Losses_MeanSquaredError_1(_ stated: StatedResults) throws {
        let prediction = Variable(Tensor<Float>([1, 2, 3]), requiresGrad: true)
        let loss = mseLoss(prediction, Variable(Tensor<Float>([1, 2, 5])))
        stated.check(loss.value.scalar, "1.3333334", line: 3)  // 1.3333334
        show((prediction, loss))
    }
}

// Sources/NN/Losses/NegativeSamplingLoss.swift, example 1: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Losses_NegativeSamplingLoss_1(_ stated: StatedResults) throws {
        let input = Embedding(vocabularySize: 1000, embeddingSize: 50, sparse: true)
        let output = Embedding(vocabularySize: 1000, embeddingSize: 50, sparse: true)
        // Two windows: contexts [3, 7] predict 5 and context [2] predicts 9, each with 2 negatives.
        let contexts = try input(Tensor<Int64>([3, 7, 2])); stated.check(contexts, "[3, 50]", line: 4)  // [3, 50]
        let targets = try output(Tensor<Int64>(shape: [2, 3], scalars: [5, 40, 12, 9, 1, 33])); stated.check(targets, "[2, 3, 50]", line: 5)  // [2, 3, 50]
        let loss = negativeSamplingLoss(inputs: contexts, outputs: targets, groupOffsets: [0, 2, 3])
        show(loss.backward())
        show((input, output, contexts, targets, loss))
    }
}

// Sources/NN/Losses/NegativeSamplingLoss.swift, example 2: compiled only, uses the context's input, output
private func example_NN_Losses_NegativeSamplingLoss_2() throws {
    let loss = try negativeSamplingLoss(input: input, inputIDs: Tensor<Int64>([3, 7, 2]), output: output,
                                        outputIDs: Tensor<Int64>(shape: [2, 3], scalars: [5, 40, 12, 9, 1, 33]),
                                        groupOffsets: [0, 2, 3])
    show(loss.backward())  // input.weight and output.weight get row-sparse gradients
    show((loss))
}

// Sources/NN/Losses/NegativeSamplingLoss.swift, example 3: compiled only, states no result
private func example_NN_Losses_NegativeSamplingLoss_3() throws {
    let contexts = Variable(Tensor<Float>.randn([3, 50]), requiresGrad: true)  // two windows: 2 and 1 contexts
    let centres = Variable(Tensor<Float>.randn([2, 6, 50]), requiresGrad: true)  // centre word + 5 noise words each
    let cbow = negativeSamplingLoss(inputs: contexts, outputs: centres, groupOffsets: [0, 2, 3], scoring: .meanOfInputs)
    show((contexts, centres, cbow))
}

// Sources/NN/Models/NextTokenModel.swift, example 1: compiled only, uses the context's dataset
private func example_NN_Models_NextTokenModel_1() throws {
    let model = NextTokenModel(vocabularySize: 60, embeddingSize: 32, contextLength: 16)
    let batch = dataset.batch(at: [0, 1])  // inputs and targets [2, 16]
    let loss = try model.loss(input: batch.input, target: batch.target)
    show(loss.backward())
    show((model, batch, loss))
}

// Sources/NN/Models/NextTokenModel.swift, example 2: compiled only, uses the context's ids, model
private func example_NN_Models_NextTokenModel_2() throws {
    let hidden = try model.features(ids)  // [8, 4, embeddingSize] for ids [8, 4]
    show((hidden))
}

// Sources/NN/Models/NextTokenModel.swift, example 3: compiled only, uses the context's dataset, model
private func example_NN_Models_NextTokenModel_3() throws {
    let windows = dataset.batch(at: [0, 1])  // inputs and targets [2, 16]
    let noise = Tensor<Int64>.randint(low: 0, high: 60, shape: [2, 16, 5])
    let loss = try model.sampledLoss(input: windows.input, target: windows.target, negatives: noise)
    show((windows, noise, loss))
}

// Sources/NN/Module.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Module_1(_ stated: StatedResults) throws {
        final class Bigram: Module {
            let token = Embedding(vocabularySize: 100, embeddingSize: 100)
            var namedChildren: [(name: String, module: any Module<Float>)] { [("token", token)] }
        }
        stated.check(Bigram().namedParameters.map(\.name), "[\"token.weight\"]", line: 5)  // ["token.weight"]
    }
}

// Sources/NN/Module.swift, example 2: compiled only, uses the context's model
private func example_NN_Module_2() throws {
    show(model.zeroGrad())
}

// Sources/NN/Module.swift, example 3: compiled only, uses the context's model, pretrained
private func example_NN_Module_3() throws {
    let skipped = try model.load(stateDict: pretrained, strict: false)
    show(skipped.missing)  // ["head.bias"]: kept as initialised
    show((skipped))
}

// Sources/NN/NN.docc/NN.md, example 1: compiled only, touches files (FileManager)
private func example_NN_NN_docc_NN_1() throws {

    show(manualSeed(123))  // PyTorch's CPU generator, bit for bit
    let table = Embedding(vocabularySize: 6, embeddingSize: 3)
    print(table.weight)  // tensor([[ 0.3374, -0.1778, -0.1690], ...

    let gpt2 = try BytePairTokenizer.gpt2()  // GPT-2's tokenizer, built in: tiktoken's ids
    let ids = gpt2.encodedTensor("Hello, do you like tea").reshaped([2, 3])
    let token = Embedding(vocabularySize: 50257, embeddingSize: 3)
    let position = PositionalEmbedding(maxLength: 3, embeddingSize: 3)
    let x = try token(ids) + position(length: 3)  // [2, 3, 3]: positions broadcast over the batch

    let sgd = SGD(parameters: token.parameters + position.parameters, learningRate: 0.1, momentum: 0.9)
    let loss = x.squared().mean()
    show(loss.backward())  // token.weight's gradient is row-sparse
    show(sgd.step()); show(sgd.zeroGrad())
    show(position.freeze())  // frozen: no gradient, no update, no graph

    let url = FileManager.default.temporaryDirectory.appendingPathComponent("token.safetensors")
    try show(token.save(to: url))  // atomic; loads in Python's safetensors
    show((table, gpt2, ids, token, position, x, sgd, loss, url))
}

// Sources/NN/Optimizers/Adam.swift, example 1: compiled only, uses the context's loss, model
private func example_NN_Optimizers_Adam_1() throws {
    let adam = Adam(parameters: model.parameters, learningRate: 1e-3)
    show(adam.zeroGrad()); show(loss.backward()); show(adam.step())
    show((adam))
}

// Sources/NN/Optimizers/Adam.swift, example 2: compiled only, uses the context's model
private func example_NN_Optimizers_Adam_2() throws {
    let optimizer = Adam(parameters: model.parameters, learningRate: 1e-3, betas: (0.9, 0.98))
    show((optimizer))
}

// Sources/NN/Optimizers/Adam.swift, example 3: compiled only, uses the context's model
private func example_NN_Optimizers_Adam_3() throws {
    let adamW = AdamW(parameters: model.parameters, learningRate: 1e-3, weightDecay: 0.1)
    show((adamW))
}

// Sources/NN/Optimizers/Adam.swift, example 4: compiled only, uses the context's model
private func example_NN_Optimizers_Adam_4() throws {
    let optimizer = AdamW(parameters: model.parameters, learningRate: 1e-3, weightDecay: 0.1)
    show((optimizer))
}

// Sources/NN/Optimizers/LinearDecay.swift, example 1: compiled only, uses the context's sgd, wordsDone, wordsInAllEpochs
private func example_NN_Optimizers_LinearDecay_1() throws {
    let schedule = LinearDecay(initial: 0.025, final: 0.0001)
    show(schedule.rate(atProgress: 0))  // 0.025
    show(schedule.rate(atProgress: 0.5))  // 0.01255
    sgd.learningRate = schedule.rate(atProgress: Double(wordsDone) / Double(wordsInAllEpochs))
    show((schedule))
}

// Sources/NN/Optimizers/Optimizer.swift, example 1: compiled only, uses the context's loss, model
private func example_NN_Optimizers_Optimizer_1() throws {
    let optimizer = SGD(parameters: model.parameters, learningRate: 0.1)
    show(optimizer.zeroGrad())
    show(loss.backward())
    show(optimizer.step())
    show((optimizer))
}

// Sources/NN/Optimizers/SGD.swift, example 1: compiled only, uses the context's loss, pos, tok
private func example_NN_Optimizers_SGD_1() throws {
    let sgd = SGD(parameters: tok.parameters + pos.parameters, learningRate: 0.1, momentum: 0.9)
    show(sgd.zeroGrad())
    show(loss.backward())
    show(sgd.step())
    show((sgd))
}

// Sources/NN/Optimizers/SGD.swift, example 2: compiled only, uses the context's model
private func example_NN_Optimizers_SGD_2() throws {
    let optimizer = SGD(parameters: model.parameters, learningRate: 0.1, momentum: 0.9)
    show((optimizer))
}

// Sources/NN/Text/BytePairTokenizer+GPT2.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Text_BytePairTokenizer_GPT2_1(_ stated: StatedResults) throws {
        let gpt2 = try BytePairTokenizer.gpt2()
        stated.check(gpt2.encode("Hello, do you like tea? <|endoftext|> In the sunlit terraces"), "[15496, 11, 466, 345, 588, 8887, 30, 220, 50256, 554, 262, 4252, 18250, 8812, 2114]", line: 2)
        // [15496, 11, 466, 345, 588, 8887, 30, 220, 50256, 554, 262, 4252, 18250, 8812, 2114]
        show((gpt2))
    }
}

// Sources/NN/Text/BytePairTokenizer.swift, example 1: compiled only, uses the context's directory
private func example_NN_Text_BytePairTokenizer_1() throws {
    let gpt2 = try BytePairTokenizer(vocabularyFile: directory.appending(path: "vocab.json"),
                                     mergesFile: directory.appending(path: "merges.txt"))
    show(gpt2.encode("Hello, world"))  // [15496, 11, 995]
    show((gpt2))
}

// Sources/NN/Text/BytePairTokenizer.swift, example 2: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Text_BytePairTokenizer_2(_ stated: StatedResults) throws {
        stated.check(BytePairTokenizer.pieces(of: "Hello, it's  2024!"), "[\"Hello\", \",\", \" it\", \"'s\", \" \", \" 2024\", \"!\"]", line: 1)  // ["Hello", ",", " it", "'s", " ", " 2024", "!"]
    }
}

// Sources/NN/Text/BytePairTokenizer.swift, example 3: compiled only, uses the context's runDirectory, tokenizer
private func example_NN_Text_BytePairTokenizer_3() throws {
    try show(tokenizer.save(to: runDirectory.appending(path: "vocabulary.json")))
}

// Sources/NN/Text/ByteTokenizer.swift, example 1: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Text_ByteTokenizer_1(_ stated: StatedResults) throws {
        let tokenizer = ByteTokenizer()
        stated.check(tokenizer.encode("hé"), "[104, 195, 169]", line: 2)  // [104, 195, 169]
        try stated.check(tokenizer.decode([104, 105]), "\"hi\"", line: 3)  // "hi"
        show((tokenizer))
    }
}

// Sources/NN/Text/ByteTokenizer.swift, example 2: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Text_ByteTokenizer_2(_ stated: StatedResults) throws {
        stated.check(ByteTokenizer().vocabularySize, "256", line: 1)  // 256
    }
}

// Sources/NN/Text/ByteTokenizer.swift, example 3: compiled only, uses the context's runDirectory, tokenizer
private func example_NN_Text_ByteTokenizer_3() throws {
    try show(tokenizer.save(to: runDirectory.appending(path: "vocabulary.json")))
}

// Sources/NN/Text/Tokenizer.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Text_Tokenizer_1(_ stated: StatedResults) throws {
        let tokenizer = WordTokenizer(training: "the cat sat. the dog sat.")
        let ids = tokenizer.encode("the dog sat.")
        try stated.check(tokenizer.decode(ids), "\"the dog sat.\"", line: 3)  // "the dog sat."
        show((tokenizer, ids))
    }
}

// Sources/NN/Text/Tokenizer.swift, example 2: compiled only, uses the context's runDirectory, tokenizer
private func example_NN_Text_Tokenizer_2() throws {
    try show(tokenizer.save(to: runDirectory.appending(path: "vocabulary.json")))
}

// Sources/NN/Text/Tokenizer.swift, example 3: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Text_Tokenizer_3(_ stated: StatedResults) throws {
        let ids = ByteTokenizer().encodedTensor("hi"); stated.check(ids, "tensor([104, 105])", line: 1)  // tensor([104, 105])
        show((ids))
    }
}

// Sources/NN/Text/Tokenizer.swift, example 4: compiled only, uses the context's runDirectory
private func example_NN_Text_Tokenizer_4() throws {
    let tokenizer = try loadTokenizer(contentsOf: runDirectory.appending(path: "vocabulary.json"))
    show(tokenizer.vocabularySize)
    show((tokenizer))
}

// Sources/NN/Text/WordTokenizer.swift, example 1: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Text_WordTokenizer_1(_ stated: StatedResults) throws {
        let tokenizer = WordTokenizer(training: "the cat sat. the dog sat.")
        stated.check(tokenizer.encode("the cow sat."), "[4, 6, 3, 0]", line: 2)  // [4, 6, 3, 0]: "cow" is unknown
        try stated.check(tokenizer.decode(tokenizer.encode("the cow sat.")), "\"the <|unk|> sat.\"", line: 3)  // "the <|unk|> sat."
        show((tokenizer))
    }
}

// Sources/NN/Text/WordTokenizer.swift, example 2: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Text_WordTokenizer_2(_ stated: StatedResults) throws {
        stated.check(WordTokenizer.split("Hello, world--again."), "[\"Hello\", \",\", \"world\", \"--\", \"again\", \".\"]", line: 1)  // ["Hello", ",", "world", "--", "again", "."]
    }
}

// Sources/NN/Text/WordTokenizer.swift, example 3: compiled only, uses the context's runDirectory, tokenizer
private func example_NN_Text_WordTokenizer_3() throws {
    try show(tokenizer.save(to: runDirectory.appending(path: "vocabulary.json")))
}

// Sources/NN/Word2Vec/ContextWindowSampler.swift, example 1: compiled only, states no result
private func example_NN_Word2Vec_ContextWindowSampler_1() throws {
    let counts = [900, 500, 300, 120, 80]
    let sampler = ContextWindowSampler(maximumRadius: 5, negatives: 5,
                                       subsampler: FrequentWordSubsampler(counts: counts, threshold: 1e-3),
                                       noise: NegativeSampler(counts: counts))
    var windows = ContextWindows(negativesPerWindow: 5)
    var random = StreamRandom(seed: 42, stream: 0)
    show(sampler.appendWindows(of: [3, 0, 4, 1, 2], to: &windows, using: &random))
    show((counts, sampler, windows, random))
}

// Sources/NN/Word2Vec/ContextWindows.swift, example 1: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Word2Vec_ContextWindows_1(_ stated: StatedResults) throws {
        var windows = ContextWindows(negativesPerWindow: 2)
        show(windows.append(center: 5, contexts: [3, 7], negatives: [40, 12]))
        stated.check(windows.outputIDs, "[5, 40, 12]", line: 3)  // [5, 40, 12]
        stated.check(windows.contextOffsets, "[0, 2]", line: 4)  // [0, 2]
        show((windows))
    }
}

// Sources/NN/Word2Vec/FrequentWordSubsampler.swift, example 1: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_Word2Vec_FrequentWordSubsampler_1(_ stated: StatedResults) throws {
        let subsampler = FrequentWordSubsampler(counts: [60_000, 900, 40], threshold: 1e-3)
        stated.check(subsampler.keepProbability(of: 0), "0.0329", line: 2)  // ≈ 0.0329: the most frequent word is mostly dropped
        stated.check(subsampler.keepProbability(of: 2), "1", line: 3)  // 1
        var random = StreamRandom(seed: 1)
        let kept = subsampler.keeps(0, using: &random)
        show((subsampler, random, kept))
    }
}

// Sources/NN/Word2Vec/NegativeSampler.swift, example 1: compiled only, states no result
private func example_NN_Word2Vec_NegativeSampler_1() throws {
    let noise = NegativeSampler(counts: [50, 30, 20, 0])
    var random = StreamRandom(seed: 1)
    let word = noise.sample(using: &random)  // 0, 1 or 2; never 3 (count 0)
    show(noise.probability(of: 0))  // 50^0.75 / (50^0.75 + 30^0.75 + 20^0.75) ≈ 0.458
    show((noise, random, word))
}

// Sources/NN/Word2Vec/NegativeSampler.swift, example 2: compiled only, states no result
private func example_NN_Word2Vec_NegativeSampler_2() throws {
    let noise = NegativeSampler(counts: [90, 5, 5])
    var random = StreamRandom(seed: 1, stream: 0)
    let word = noise.sample(avoiding: 0, redrawLimit: 16, using: &random)  // almost always 1 or 2
    show((noise, random, word))
}

// Sources/NN/Word2Vec/StreamRandom.swift, example 1: compiled only, states no result
private func example_NN_Word2Vec_StreamRandom_1() throws {
    var random = StreamRandom(seed: 42, stream: 7)
    let word = random.next() % 100  // conforms to RandomNumberGenerator
    let coin = Bool.random(using: &random)
    show((random, word, coin))
}

// Sources/NN/WordVectors/AnalogyEvaluation.swift, example 1: compiled only, uses the context's wordVectors
private func example_NN_WordVectors_AnalogyEvaluation_1() throws {
    let result = wordVectors.evaluateAnalogies(try .google())
    print(result)
    // For example, for 100-dimensional skip-gram vectors of 41 905 words:
    // Google analogies: 16.3 % (1296 of 7950 questions; 11594 skipped, 59.3 % out of vocabulary)
    //   capital-common-countries: …
    show(result.accuracy)  // 0.163…, gensim's score
    show(result.sections[0].correctCount)  // the first section's right answers
    show((result))
}

// Sources/NN/WordVectors/AnalogyEvaluation.swift, example 2: compiled only, states no result
private func example_NN_WordVectors_AnalogyEvaluation_2() throws {
    let family = AnalogyEvaluation.Section(name: "family", correctCount: 130, coveredCount: 272, skippedCount: 234)
    show((family))
}

// Sources/NN/WordVectors/AnalogyEvaluation.swift, example 3: compiled only, uses the context's url, wordVectors
private func example_NN_WordVectors_AnalogyEvaluation_3() throws {
    let result = try wordVectors.evaluateAnalogies(contentsOf: url, restrictedTo: 30_000)
    show((result))
}

// Sources/NN/WordVectors/AnalogyEvaluation.swift, example 4: compiled only, uses the context's wordVectors
private func example_NN_WordVectors_AnalogyEvaluation_4() throws {
    let result = wordVectors.evaluateAnalogies(try .google(), restrictedTo: 30_000)
    for section in result.sections { print(section.name, section.accuracy) }
    print(result.total.coveredCount, result.total.skippedCount)
    show((result))
}

// Sources/NN/WordVectors/AnalogyQuestions+Google.swift, example 1: compiled only, uses the context's wordVectors
private func example_NN_WordVectors_AnalogyQuestions_Google_1() throws {
    let result = wordVectors.evaluateAnalogies(try .google())
    print(result.accuracy)  // the share of covered questions answered right, 0…1
    show((result))
}

// Sources/NN/WordVectors/AnalogyQuestions+Google.swift, example 2: compiled only, states no result
private func example_NN_WordVectors_AnalogyQuestions_Google_2() throws {
    let path = try AnalogyQuestions.googleFile().path
    show((path))
}

// Sources/NN/WordVectors/AnalogyQuestions.swift, example 1: compiled only, states no result
private func example_NN_WordVectors_AnalogyQuestions_1() throws {
    let question = AnalogyQuestion("Athens", "Greece", "Baghdad", answer: "Iraq")
    show((question))
}

// Sources/NN/WordVectors/AnalogyQuestions.swift, example 2: compiled only, states no result
private func example_NN_WordVectors_AnalogyQuestions_2() throws {
    let family = AnalogySection(name: "family", questions: [AnalogyQuestion("boy", "girl", "brother", answer: "sister")])
    show((family))
}

// Sources/NN/WordVectors/AnalogyQuestions.swift, example 3: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_WordVectors_AnalogyQuestions_3(_ stated: StatedResults) throws {
        let google = try AnalogyQuestions.google()
        stated.check(google.questionCount, "19544", line: 2)  // 19544
        stated.check(google.sections[0].name, "\"capital-common-countries\"", line: 3)  // "capital-common-countries"
        let mine = AnalogyQuestions(name: "family", sections: [
            AnalogySection(name: "family", questions: [AnalogyQuestion("man", "king", "woman", answer: "queen")]),
        ])
        show((google, mine))
    }
}

// Sources/NN/WordVectors/AnalogyQuestions.swift, example 4: compiled only, states no result
private func example_NN_WordVectors_AnalogyQuestions_4() throws {
    let mine = AnalogyQuestions(name: "mine", sections: [AnalogySection(name: "family", questions: [])])
    show((mine))
}

// Sources/NN/WordVectors/WordPairEvaluation.swift, example 1: compiled only, uses the context's url, wordVectors
private func example_NN_WordVectors_WordPairEvaluation_1() throws {
    let result = try wordVectors.evaluateWordPairs(contentsOf: url)
    print(result)
    // For example: wordsim353: Spearman 0.546 (Pearson 0.590), 347 of 353 pairs, 1.7 % out of vocabulary
    show(result.spearman)  // 0.546…
    show(result.outOfVocabularyPercentage)  // 1.69…
    show((result))
}

// Sources/NN/WordVectors/WordPairEvaluation.swift, example 2: compiled only, states no result
private func example_NN_WordVectors_WordPairEvaluation_2() throws {
    let kept = WordPairEvaluation(name: "wordsim353", spearman: 0.55, pearson: 0.55, usedPairCount: 317, skippedPairCount: 36)
    show((kept))
}

// Sources/NN/WordVectors/WordPairEvaluation.swift, example 3: compiled only, uses the context's url, wordVectors
private func example_NN_WordVectors_WordPairEvaluation_3() throws {
    let wordSim = try wordVectors.evaluateWordPairs(contentsOf: url, restrictedTo: 30_000)
    print(wordSim.spearman, wordSim.usedPairCount)
    show((wordSim))
}

// Sources/NN/WordVectors/WordPairEvaluation.swift, example 4: compiled only, uses the context's wordVectors
private func example_NN_WordVectors_WordPairEvaluation_4() throws {
    let pairs = WordPairs(name: "animals", pairs: [
        WordPair("cat", "dog", humanScore: 8), WordPair("cat", "car", humanScore: 1), WordPair("dog", "tiger", humanScore: 6),
    ])
    let result = wordVectors.evaluateWordPairs(pairs)
    show(result.usedPairCount)  // pairs whose words the table knows
    show((pairs, result))
}

// Sources/NN/WordVectors/WordPairs.swift, example 1: compiled only, states no result
private func example_NN_WordVectors_WordPairs_1() throws {
    let pair = WordPair("tiger", "cat", humanScore: 7.35)
    show((pair))
}

// Sources/NN/WordVectors/WordPairs.swift, example 2: compiled only, uses the context's url
private func example_NN_WordVectors_WordPairs_2() throws {
    let wordSim = try WordPairs(contentsOf: url, name: "WordSim-353")
    show(wordSim.pairs.count)  // 353
    show(wordSim.pairs[1])  // WordPair("tiger", "cat", humanScore: 7.35)
    let mine = WordPairs(name: "mine", pairs: [WordPair("cat", "dog", humanScore: 8), WordPair("cat", "car", humanScore: 1)])
    show((wordSim, mine))
}

// Sources/NN/WordVectors/WordPairs.swift, example 3: compiled only, states no result
private func example_NN_WordVectors_WordPairs_3() throws {
    let mine = WordPairs(name: "mine", pairs: [WordPair("cat", "dog", humanScore: 8)])
    show((mine))
}

// Sources/NN/WordVectors/WordVectorFormat.swift, example 1: compiled only, uses the context's copyURL, url
private func example_NN_WordVectors_WordVectorFormat_1() throws {
    let glove = try WordVectors(contentsOf: url, format: .glove)
    try show(glove.write(to: copyURL, format: .word2vecBinary))
    show((glove))
}

// Sources/NN/WordVectors/WordVectors+Embedding.swift, example 1: compiled only, uses the context's vectors
private func example_NN_WordVectors_WordVectors_Embedding_1() throws {
    let unknownID = vectors.tokenizer.id(for: WordVectors.unknownWord)  // the row every other word looks up
    show((unknownID))
}

// Sources/NN/WordVectors/WordVectors+Embedding.swift, example 2: compiled only, uses the context's url
private func example_NN_WordVectors_WordVectors_Embedding_2() throws {
    let glove = try WordVectors(contentsOf: url, format: .glove)
    let ids = glove.tokenizer.encode("the cat sat on the mat.")  // rows of the file; unknown words → last id
    show((glove, ids))
}

// Sources/NN/WordVectors/WordVectors+Embedding.swift, example 3: compiled only, uses the context's url
private func example_NN_WordVectors_WordVectors_Embedding_3() throws {
    let glove = try WordVectors(contentsOf: url, format: .glove)  // e.g. glove.6B.100d.txt
    let embedding = Embedding(pretrained: glove)  // frozen: weight.requiresGrad == false
    let ids = glove.tokenizer.encodedTensor("The cat sat on the mat.".lowercased())
    let sentence = try embedding(ids)  // [7, 100]: a row per token
    show((glove, embedding, ids, sentence))
}

// Sources/NN/WordVectors/WordVectors+Neighbors.swift, example 1: compiled only, uses the context's wordVectors
private func example_NN_WordVectors_WordVectors_Neighbors_1() throws {
    let neighbors = wordVectors.nearest(to: "king", count: 5)  // [(word: "queen", similarity: 0.73), …]
    show((neighbors))
}

// Sources/NN/WordVectors/WordVectors+Projector.swift, example 1: compiled only, uses the context's directory, vectors
private func example_NN_WordVectors_WordVectors_Projector_1() throws {
    _ = try vectors.writeProjectorFiles(vectorsTo: directory.appending(path: "vectors.tsv"),
                                    metadataTo: directory.appending(path: "metadata.tsv"))
}

// Sources/NN/WordVectors/WordVectors+Reading.swift, example 1: compiled only, touches files (URL()
private func example_NN_WordVectors_WordVectors_Reading_1() throws {
    let glove = try WordVectors(contentsOf: URL(filePath: "glove.6B.100d.txt"))  // format told from the bytes
    let news = try WordVectors(contentsOf: URL(filePath: "GoogleNews-vectors-negative300.bin"), format: .word2vecBinary)
    show(news.vector(for: "king")?.shape)  // [300]
    show((glove, news))
}

// Sources/NN/WordVectors/WordVectors+Writing.swift, example 1: compiled only, uses the context's url, vectors
private func example_NN_WordVectors_WordVectors_Writing_1() throws {
    try show(vectors.write(to: url, format: .word2vecText))  // gensim: load_word2vec_format(path)
    try show(vectors.write(to: url, format: .word2vecBinary))  // gensim: load_word2vec_format(path, binary=True)
}

// Sources/NN/WordVectors/WordVectors.swift, example 1: run, 3 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_NN_WordVectors_WordVectors_1(_ stated: StatedResults) throws {
        let vectors = WordVectors(words: ["king", "queen"], vectors: Tensor<Float>(shape: [2, 3], scalars: [1, 0, 0, 0.8, 0.6, 0]))
        stated.check(vectors.index(of: "queen"), "1", line: 2)  // 1
        stated.check(vectors.vector(for: "king")?.scalars, "[1, 0, 0]", line: 3)  // [1, 0, 0]
        stated.check(vectors.dimension, "3", line: 4)  // 3
        show((vectors))
    }
}

// Sources/Tensor/Core/Broadcasting.swift, example 1: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Core_Broadcasting_1(_ stated: StatedResults) throws {
        try stated.check(Broadcasting.shape([8, 4, 256], [4, 256]), "[8, 4, 256]", line: 1)  // [8, 4, 256]
        stated.checkThrows({ try Broadcasting.shape([2, 3], [4]) }, "shapeMismatch", line: 2)  // throws shapeMismatch
    }
}

// Sources/Tensor/Core/Creation.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Core_Creation_1(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>.full([2, 2], value: 7).scalars, "[7, 7, 7, 7]", line: 1)  // [7, 7, 7, 7]
    }
}

// Sources/Tensor/Core/Creation.swift, example 2: compiled only, states no result
private func example_Tensor_Core_Creation_2() throws {
    let m = Tensor<Float>(nested: [[1, 2], [3, 4]])  // shape [2, 2]
    show((m))
}

// Sources/Tensor/Core/Creation.swift, example 3: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Core_Creation_3(_ stated: StatedResults) throws {
        stated.check(Tensor<Int64>.arange(4).scalars, "[0, 1, 2, 3]", line: 1)  // [0, 1, 2, 3]
    }
}

// Sources/Tensor/Core/Creation.swift, example 4: compiled only, uses the context's embedding
private func example_Tensor_Core_Creation_4() throws {
    let bias: Tensor<Float> = [0.5, -0.5]
    let rows = try embedding([1, 2, 3])  // ids as Tensor<Int64>
    show((bias, rows))
}

// Sources/Tensor/Core/DefaultElementType.swift, example 1: compiled only, states no result
private func example_Tensor_Core_DefaultElementType_1() throws {
    let x = Tensor.randn([2, 3])  // Tensor<Float>, as torch.randn(2, 3)
    show((x))
}

// Sources/Tensor/Core/DefaultElementType.swift, example 2: compiled only, states no result
private func example_Tensor_Core_DefaultElementType_2() throws {
    let weight = Parameter(Tensor.zeros([3, 2]))  // Parameter<Float>
    show((weight))
}

// Sources/Tensor/Core/DefaultElementType.swift, example 3: compiled only, uses the context's ids
private func example_Tensor_Core_DefaultElementType_3() throws {
    let positions = Tensor.arange(ids.shape[1])  // Tensor<Int64>
    show((positions))
}

// Sources/Tensor/Core/DefaultElementType.swift, example 4: compiled only, states no result
private func example_Tensor_Core_DefaultElementType_4() throws {
    let ids = Tensor.randint(high: 50257, shape: [8, 4])  // Tensor<Int64>
    show((ids))
}

// Sources/Tensor/Core/DefaultElementType.swift, example 5: compiled only, uses the context's tokenizer
private func example_Tensor_Core_DefaultElementType_5() throws {
    let ids = Tensor(tokenizer.encode("the cat sat"))  // Tensor<Int64>
    show((ids))
}

// Sources/Tensor/Core/Layout.swift, example 1: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Core_Layout_1(_ stated: StatedResults) throws {
        let transposed = Layout(shape: [3, 2], strides: [1, 3], offset: 0)  // a [2, 3] layout, transposed
        stated.check(transposed.isContiguous, "false", line: 2)  // false
        stated.check(transposed.position(of: [2, 1]), "5", line: 3)  // 5
        show((transposed))
    }
}

// Sources/Tensor/Core/Tensor.swift, example 1: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Core_Tensor_1(_ stated: StatedResults) throws {
        let t = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        stated.check(t.shape, "[2, 3]", line: 2)  // [2, 3]
        stated.check(t.transposed().scalars, "[1, 4, 2, 5, 3, 6]", line: 3)  // [1, 4, 2, 5, 3, 6]
        show((t))
    }
}

// Sources/Tensor/Core/Tensor.swift, example 2: compiled only, states no result
private func example_Tensor_Core_Tensor_2() throws {
    let squares = Tensor<Float>(unsafeUninitializedShape: [4]) { buffer in
        for i in buffer.indices { buffer[i] = Float(i * i) }
    }
    show((squares))
}

// Sources/Tensor/Core/Tensor.swift, example 3: compiled only, states no result
private func example_Tensor_Core_Tensor_3() throws {
    let m = Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
    show((m))
}

// Sources/Tensor/Core/Tensor.swift, example 4: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Core_Tensor_4(_ stated: StatedResults) throws {
        let m = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        stated.check(m[element: [1, 2]], "6", line: 2)  // 6
        stated.check(m[element: [-1, 0]], "4", line: 3)  // 4
        show((m))
    }
}

// Sources/Tensor/Core/Tensor.swift, example 5: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Core_Tensor_5(_ stated: StatedResults) throws {
        var buffer = Tensor<Float>.zeros([2, 2])
        stated.check(buffer.copy(from: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]).transposed()), "[1, 3, 2, 4]", line: 2, receiver: buffer)  // [1, 3, 2, 4]
        show((buffer))
    }
}

// Sources/Tensor/Core/TensorIndexExpression.swift, example 1: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Core_TensorIndexExpression_1(_ stated: StatedResults) throws {
        let m = Tensor<Float>.arange(12).reshaped([3, 4])
        stated.check(m[.all, 1..<3].shape, "[3, 2]", line: 2)  // [3, 2]
        stated.check(m[1..., 0].scalars, "[4, 8]", line: 3)  // [4, 8]
        show((m))
    }
}

// Sources/Tensor/Core/TensorIndexExpression.swift, example 2: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Core_TensorIndexExpression_2(_ stated: StatedResults) throws {
        var m = Tensor<Float>.zeros([2, 4])
        m[.all, 1...2] = Tensor([7]); stated.check(m, "[[0, 7, 7, 0], [0, 7, 7, 0]]", line: 2)  // [[0, 7, 7, 0], [0, 7, 7, 0]]
        show((m))
    }
}

// Sources/Tensor/Core/Views.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Core_Views_1(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>.arange(6).reshaped([2, -1]).shape, "[2, 3]", line: 1)  // [2, 3]
    }
}

// Sources/Tensor/Core/Views.swift, example 2: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Core_Views_2(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>.zeros([2, 3, 4]).permuted([2, 0, 1]).shape, "[4, 2, 3]", line: 1)  // [4, 2, 3]
    }
}

// Sources/Tensor/Core/Views.swift, example 3: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Core_Views_3(_ stated: StatedResults) throws {
        let rest = Tensor<Float>([1, 2, 3, 4])[1...]; stated.check(rest, "[2, 3, 4]", line: 1)  // [2, 3, 4]
        show((rest))
    }
}

// Sources/Tensor/Core/Views.swift, example 4: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Core_Views_4(_ stated: StatedResults) throws {
        var m = Tensor<Float>.zeros([2, 3])
        stated.check(m.assign(Tensor([7]), toView: { $0[.all, .range(1..<3)] }), "[[0, 7, 7], [0, 7, 7]]", line: 2, receiver: m)  // [[0, 7, 7], [0, 7, 7]]
        show((m))
    }
}

// Sources/Tensor/Core/Views.swift, example 5: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Core_Views_5(_ stated: StatedResults) throws {
        let m = Tensor<Float>.arange(12).reshaped([3, 4])
        stated.check(m[.all, .range(0..<4, step: 2)].scalars, "[0, 2, 4, 6, 8, 10]", line: 2)  // [0, 2, 4, 6, 8, 10]
        show((m))
    }
}

// Sources/Tensor/Core/Views.swift, example 6: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Core_Views_6(_ stated: StatedResults) throws {
        let firstColumn = Tensor<Float>.arange(6).reshaped([2, 3]).indexed(by: [.all, .index(0)]); stated.check(firstColumn, "[0, 3]", line: 1)  // [0, 3]
        show((firstColumn))
    }
}

// Sources/Tensor/Formatting/TensorDescription.swift, example 1: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Formatting_TensorDescription_1(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>(shape: [2, 2], scalars: [0.5, -2, 1, 12.25]), "tensor([[ 0.5000, -2.0000],\n        [ 1.0000, 12.2500]])", line: 1)
        // tensor([[ 0.5000, -2.0000],
        //         [ 1.0000, 12.2500]])
        stated.check(Tensor<Double>([1, 2]), "tensor([1., 2.], dtype: Double)", line: 4)  // tensor([1., 2.], dtype: Double)
    }
}

// Sources/Tensor/Formatting/TensorDescription.swift, example 2: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Formatting_TensorDescription_2(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>([0.5, -0.2]).formattedDescription(suffixes: ["requiresGrad: true"]), "tensor([ 0.5000, -0.2000], requiresGrad: true)", line: 1)
        // tensor([ 0.5000, -0.2000], requiresGrad: true)
    }
}

// Sources/Tensor/IO/SafetensorsDType.swift, example 1: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_IO_SafetensorsDType_1(_ stated: StatedResults) throws {
        stated.check(SafetensorsDType(rawValue: "BF16"), ".bfloat16", line: 1)  // .bfloat16
        stated.check(SafetensorsDType.float16.bitWidth, "16", line: 2)  // 16
    }
}

// Sources/Tensor/IO/SafetensorsEntry.swift, example 1: compiled only, uses the context's embeddings, url
private func example_Tensor_IO_SafetensorsEntry_1() throws {
    _ = try SafetensorsFile.write([
        "wte.weight": .bfloat16(embeddings),
        "ids": SafetensorsEntry(Tensor<Int64>([3, 1, 4])),
    ], metadata: ["format": "pt"], to: url)
}

// Sources/Tensor/IO/SafetensorsFile+Writing.swift, example 1: compiled only, uses the context's url, w
private func example_Tensor_IO_SafetensorsFile_Writing_1() throws {
    try show(SafetensorsFile.write(["wte.weight": w], metadata: ["format": "pt"], to: url))
}

// Sources/Tensor/IO/SafetensorsFile+Writing.swift, example 2: compiled only, uses the context's url, w
private func example_Tensor_IO_SafetensorsFile_Writing_2() throws {
    _ = try SafetensorsFile.write(["weight": .float16(w), "step": .int64(Tensor(scalar: 100))],
                              metadata: [:], to: url)
}

// Sources/Tensor/IO/SafetensorsFile.swift, example 1: compiled only, uses the context's url
private func example_Tensor_IO_SafetensorsFile_1() throws {
    let file = try SafetensorsFile(contentsOf: url)
    show(file.names)  // ["wpe.weight", "wte.weight"]
    show(file.dtype(of: "wte.weight"))  // .bfloat16
    let w = try file.tensor(named: "wte.weight")  // Tensor<Float>: BF16 widened exactly
    show((file, w))
}

// Sources/Tensor/IO/SafetensorsFile.swift, example 2: compiled only, uses the context's url
private func example_Tensor_IO_SafetensorsFile_2() throws {
    let file = try SafetensorsFile(contentsOf: url)  // mapped
    let copying = try SafetensorsFile(contentsOf: url, reading: .copied)  // read on demand
    show((file, copying))
}

// Sources/Tensor/IO/SafetensorsFile.swift, example 3: compiled only, uses the context's file
private func example_Tensor_IO_SafetensorsFile_3() throws {
    let ids = try file.tensor(named: "positions", as: Int64.self)
    show((ids))
}

// Sources/Tensor/IO/SafetensorsFile.swift, example 4: compiled only, uses the context's file
private func example_Tensor_IO_SafetensorsFile_4() throws {
    let table = try file.tensor(named: "wte.weight")  // Tensor<Float>
    show((table))
}

// Sources/Tensor/IO/SafetensorsFile.swift, example 5: compiled only, uses the context's copyURL, file
private func example_Tensor_IO_SafetensorsFile_5() throws {
    let entries = try Dictionary(uniqueKeysWithValues: file.names.map { ($0, try file.entry(named: $0)) })
    try show(SafetensorsFile.write(entries, metadata: file.metadata, to: copyURL))
    show((entries))
}

// Sources/Tensor/IO/Tensor+Numpy.swift, example 1: compiled only, uses the context's url
private func example_Tensor_IO_Tensor_Numpy_1() throws {
    // Python: numpy.save("w.npy", numpy.ones((2, 3), dtype=numpy.float32))
    let w = try Tensor<Float>(contentsOfNumpyFile: url)  // shape [2, 3]
    show((w))
}

// Sources/Tensor/IO/Tensor+Numpy.swift, example 2: compiled only, uses the context's url
private func example_Tensor_IO_Tensor_Numpy_2() throws {
    try show(Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4]).writeNumpy(to: url))
    // Python: numpy.load("w.npy") → array([[1., 2.], [3., 4.]], dtype=float32)
}

// Sources/Tensor/Kernels/InstructionSet.swift, example 1: compiled only, uses the context's a, b
private func example_Tensor_Kernels_InstructionSet_1() throws {
    show(InstructionSet.supported)  // [.baseline, .avx2, .avx512] on a recent x86-64 CPU
    show(InstructionSet.current)  // .avx512, or what SWIFT_AUTOGRAD_ISA asks for
    let product = withInstructionSet(.baseline) { a.matmul(b) }  // the same bits, slower
    show((product))
}

// Sources/Tensor/Kernels/InstructionSet.swift, example 2: compiled only, uses the context's a, b
private func example_Tensor_Kernels_InstructionSet_2() throws {
    let products = InstructionSet.supported.map { level in
        withInstructionSet(level) { a.matmul(b) }   // identical bits at each level
    }
    show((products))
}

// Sources/Tensor/Kernels/Parallel.swift, example 1: compiled only, changes a process-wide setting (ParallelConfiguration.)
private func example_Tensor_Kernels_Parallel_1() throws {
    ParallelConfiguration.maximumThreadCount = 1  // every kernel of the process on its calling thread
    try show(withMaximumThreadCount(1) { try model(ids) })  // only this task's kernels
}

// Sources/Tensor/Kernels/Parallel.swift, example 2: compiled only, uses the context's a, b
private func example_Tensor_Kernels_Parallel_2() throws {
    let single = withMaximumThreadCount(1) { a.matmul(b) }
    let split = withMaximumThreadCount(4) { a.matmul(b) }  // the same bits
    show((single, split))
}

// Sources/Tensor/Ops/Comparison.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Comparison_1(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>([1, 2, 3]).compared(.greater, Tensor([2])).scalars, "[false, false, true]", line: 1)  // [false, false, true]
    }
}

// Sources/Tensor/Ops/Comparison.swift, example 2: compiled only, uses the context's predictions, targets
private func example_Tensor_Ops_Comparison_2() throws {
    let correct = (predictions .== targets).converted(to: Float.self).mean()  // accuracy
    let positive = Tensor<Float>([-1, 0, 2]) .> 0  // [false, false, true]
    show((correct, positive))
}

// Sources/Tensor/Ops/Comparison.swift, example 3: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Comparison_3(_ stated: StatedResults) throws {
        let hits = (Tensor<Int64>([1, 2, 3]) .== Tensor([1, 0, 3])).converted(to: Float.self); stated.check(hits, "[1, 0, 1]", line: 1)  // [1, 0, 1]
        stated.check(hits.sum().scalar, "2", line: 2)  // 2
        show((hits))
    }
}

// Sources/Tensor/Ops/Comparison.swift, example 4: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Comparison_4(_ stated: StatedResults) throws {
        stated.check(Tensor.where(Tensor<Bool>([true, false]), Tensor<Float>([1, 2]), Tensor<Float>([9])), "[1, 9]", line: 1)  // [1, 9]
    }
}

// Sources/Tensor/Ops/Comparison.swift, example 5: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Comparison_5(_ stated: StatedResults) throws {
        let kept = Tensor.where(Tensor<Bool>([true, false]), Tensor<Float>([1, 2]), 0); stated.check(kept, "[1, 0]", line: 1)  // [1, 0]
        show((kept))
    }
}

// Sources/Tensor/Ops/Indexing.swift, example 1: run, 3 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Indexing_1(_ stated: StatedResults) throws {
        let table = Tensor<Float>(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21])
        try stated.check(table.indexSelect(rows: Tensor<Int64>(shape: [2, 2], scalars: [2, 0, 2, 1])).shape, "[2, 2, 2]", line: 2)  // [2, 2, 2]
        try stated.check(table.indexSelect(rows: Tensor<Int64>([1, 1])).scalars, "[10, 11, 10, 11]", line: 3)  // [10, 11, 10, 11]
        stated.checkThrows({ try table.indexSelect(rows: Tensor<Int64>([3])) }, "indexOutOfRange(index: 3, position: [0], bound: 3)", line: 4)  // throws indexOutOfRange(index: 3, position: [0], bound: 3)
        show((table))
    }
}

// Sources/Tensor/Ops/Indexing.swift, example 2: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Indexing_2(_ stated: StatedResults) throws {
        var gradient = Tensor<Float>.zeros([3, 2])
        _ = try gradient.indexAdd(rows: Tensor<Int64>([2, 0, 2]),
                              values: Tensor(shape: [3, 2], scalars: [1, 1, 5, 5, 2, 2]))
        stated.check(gradient.scalars, "[5, 5, 0, 0, 3, 3]", line: 4)  // [5, 5, 0, 0, 3, 3]
        show((gradient))
    }
}

// Sources/Tensor/Ops/Indexing.swift, example 3: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Indexing_3(_ stated: StatedResults) throws {
        let gradient = try Tensor<Float>.zeros([2, 1]).indexAdded(rows: Tensor<Int64>([1, 1]),
                                                                  values: Tensor(shape: [2, 1], scalars: [1, 2]))
        stated.check(gradient.scalars, "[0, 3]", line: 3)  // [0, 3]
        show((gradient))
    }
}

// Sources/Tensor/Ops/Joining.swift, example 1: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Joining_1(_ stated: StatedResults) throws {
        let a = Tensor<Float>(shape: [1, 2], scalars: [1, 2])
        let b = Tensor<Float>(shape: [2, 2], scalars: [3, 4, 5, 6])
        stated.check(Tensor.concatenated([a, b]).shape, "[3, 2]", line: 3)  // [3, 2]
        stated.check(Tensor.concatenated([b, b], axis: 1).shape, "[2, 4]", line: 4)  // [2, 4]
        show((a, b))
    }
}

// Sources/Tensor/Ops/Joining.swift, example 2: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Joining_2(_ stated: StatedResults) throws {
        let a = Tensor<Float>([1, 2]), b = Tensor<Float>([3, 4])
        stated.check(Tensor.stacked([a, b]).scalars, "[1, 2, 3, 4]", line: 2)  // [1, 2, 3, 4], shape [2, 2]
        stated.check(Tensor.stacked([a, b], axis: 1).scalars, "[1, 3, 2, 4]", line: 3)  // [1, 3, 2, 4], shape [2, 2]
        show((a))
    }
}

// Sources/Tensor/Ops/Matmul.swift, example 1: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Matmul_1(_ stated: StatedResults) throws {
        let a = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor<Float>(shape: [3, 1], scalars: [1, 0, -1])
        stated.check(a.matmul(b).scalars, "[-2, -2]", line: 3)  // [-2, -2]
        stated.check(Tensor<Float>([1, 2]).matmul(Tensor([3, 4])).scalar, "11", line: 4)  // 11
        show((a, b))
    }
}

// Sources/Tensor/Ops/Reductions.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Reductions_1(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4]).sum().scalar, "10", line: 1)  // 10
    }
}

// Sources/Tensor/Ops/Reductions.swift, example 2: run, 2 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Reductions_2(_ stated: StatedResults) throws {
        let m = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        stated.check(m.sum(alongAxes: [0]).scalars, "[5, 7, 9]", line: 2)  // [5, 7, 9]
        stated.check(m.sum(alongAxes: [-1], keepingDimensions: true).shape, "[2, 1]", line: 3)  // [2, 1]
        show((m))
    }
}

// Sources/Tensor/Ops/Reductions.swift, example 3: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Reductions_3(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).sum(axis: 1).scalars, "[6, 15]", line: 1)  // [6, 15]
    }
}

// Sources/Tensor/Ops/Reductions.swift, example 4: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Reductions_4(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>([3, 7, 5]).max().scalar, "7", line: 1)  // 7
    }
}

// Sources/Tensor/Ops/Reductions.swift, example 5: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Reductions_5(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>(shape: [2, 2], scalars: [1, 4, 3, 2]).max(alongAxes: [0]).scalars, "[3, 4]", line: 1)  // [3, 4]
    }
}

// Sources/Tensor/Ops/Reductions.swift, example 6: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Reductions_6(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>([3, 7, 5]).min().scalar, "3", line: 1)  // 3
    }
}

// Sources/Tensor/Ops/Reductions.swift, example 7: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Reductions_7(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>(shape: [2, 3], scalars: [1, 5, 5, 9, 0, 2]).argmax(axis: 1).scalars, "[1, 0]", line: 1)  // [1, 0]
    }
}

// Sources/Tensor/Ops/Reductions.swift, example 8: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Reductions_8(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>(shape: [2, 3], scalars: [1, 5, 0, 9, 0, 2]).argmin(axis: 1).scalars, "[2, 1]", line: 1)  // [2, 1]
    }
}

// Sources/Tensor/Ops/Reductions.swift, example 9: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Reductions_9(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>(shape: [2, 2], scalars: [1, 8, 3, 2]).argmax().scalar, "1", line: 1)  // 1
    }
}

// Sources/Tensor/Ops/Reductions.swift, example 10: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Reductions_10(_ stated: StatedResults) throws {
        let gradient = Tensor<Float>.ones([8, 4, 3])
        stated.check(gradient.summed(toShape: [4, 1]).scalars, "[24, 24, 24, 24]", line: 2)  // [24, 24, 24, 24]
        show((gradient))
    }
}

// Sources/Tensor/Ops/Reductions.swift, example 11: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Reductions_11(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>([1, 2, 3, 6]).mean().scalar, "3", line: 1)  // 3
    }
}

// Sources/Tensor/Ops/Reductions.swift, example 12: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Reductions_12(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 6]).mean(alongAxes: [1]).scalars, "[1.5, 4.5]", line: 1)  // [1.5, 4.5]
    }
}

// Sources/Tensor/Ops/Reductions.swift, example 13: run, 3 stated results checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Reductions_13(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>([3, -4]).norm().scalar, "5", line: 1)  // 5
        stated.check(Tensor<Float>([3, -4]).norm(p: 1).scalar, "7", line: 2)  // 7
        stated.check(Tensor<Float>([3, -4]).norm(p: .infinity).scalar, "4", line: 3)  // 4
    }
}

// Sources/Tensor/Ops/Softmax.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Softmax_1(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>([1000, 1000]).logSumExp(axis: 0).scalar, "1000.6931", line: 1)  // 1000.6931
    }
}

// Sources/Tensor/Ops/Softmax.swift, example 2: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Softmax_2(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>([0, 0, 0, 0]).softmax(axis: 0).scalars, "[0.25, 0.25, 0.25, 0.25]", line: 1)  // [0.25, 0.25, 0.25, 0.25]
    }
}

// Sources/Tensor/Ops/Softmax.swift, example 3: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Ops_Softmax_3(_ stated: StatedResults) throws {
        stated.check(Tensor<Double>([0, 0]).logSoftmax(axis: 0).scalars, "[-0.6931…, -0.6931…]", line: 1)  // [-0.6931…, -0.6931…]
    }
}

// Sources/Tensor/Random/Generator.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Random_Generator_1(_ stated: StatedResults) throws {
        let generator = Generator(seed: 123)
        let weights = Tensor<Float>.randn([6, 3], generator: generator)
        stated.check(weights[element: [0, 0]], "0.33737019", line: 3)  // 0.33737019, as torch.manual_seed(123); torch.randn(6, 3)
        show((generator, weights))
    }
}

// Sources/Tensor/Random/Generator.swift, example 2: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Random_Generator_2(_ stated: StatedResults) throws {
        show(manualSeed(0))
        stated.check(Tensor<Float>.rand([2]).scalars, "[0.49625659, 0.7682218]", line: 2)  // [0.49625659, 0.7682218]
    }
}

// Sources/Tensor/Random/MersenneTwister.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Random_MersenneTwister_1(_ stated: StatedResults) throws {
        var engine = MersenneTwister(seed: 5489)
        stated.check(engine.random(), "3499211612", line: 2, receiver: engine)  // 3499211612
        show(engine.random64())  // (581869302 << 32) | 3890346734: the first draw is the high word
        show((engine))
    }
}

// Sources/Tensor/Random/RandomFactories.swift, example 1: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Random_RandomFactories_1(_ stated: StatedResults) throws {
        show(manualSeed(123))
        stated.check(Tensor<Float>.randn([6, 3])[element: [3, 0]], "-0.40148801", line: 2)  // -0.40148801
    }
}

// Sources/Tensor/Random/RandomFactories.swift, example 2: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Random_RandomFactories_2(_ stated: StatedResults) throws {
        stated.check(Tensor<Float>.rand([2], generator: Generator(seed: 0)).scalars, "[0.49625659, 0.7682218]", line: 1)  // [0.49625659, 0.7682218]
    }
}

// Sources/Tensor/Random/RandomFactories.swift, example 3: compiled only, states no result
private func example_Tensor_Random_RandomFactories_3() throws {
    var weight = Tensor<Float>.zeros([4, 8])
    show(weight.fillNormal(mean: 0, std: 0.02, generator: Generator(seed: 1)))
    show((weight))
}

// Sources/Tensor/Random/RandomFactories.swift, example 4: compiled only, states no result
private func example_Tensor_Random_RandomFactories_4() throws {
    var bias = Tensor<Float>.zeros([8])
    show(bias.fillUniform(from: -0.1, to: 0.1, generator: Generator(seed: 0)))
    show((bias))
}

// Sources/Tensor/Random/RandomFactories.swift, example 5: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Random_RandomFactories_5(_ stated: StatedResults) throws {
        stated.check(Tensor<Int64>.randint(low: 0, high: 10, shape: [5], generator: Generator(seed: 0)).scalars, "[4, 9, 3, 0, 3]", line: 1)
        // [4, 9, 3, 0, 3]
    }
}

// Sources/Tensor/Random/RandomFactories.swift, example 6: run, 1 stated result checked
extension ExecutedDocumentationExamples {
    fileprivate static func example_Tensor_Random_RandomFactories_6(_ stated: StatedResults) throws {
        stated.check(Tensor<Int64>.randperm(10, generator: Generator(seed: 0)).scalars, "[4, 1, 7, 5, 3, 9, 0, 8, 6, 2]", line: 1)  // [4, 1, 7, 5, 3, 9, 0, 8, 6, 2]
    }
}

// Sources/Tensor/Random/SeededScope.swift, example 1: compiled only, states no result
private func example_Tensor_Random_SeededScope_1() throws {
    let table = withManualSeed(123) { Tensor<Float>.randn([6, 3]) }  // always the seed table
    let picked = try withManualSeed(123) { () throws(TensorError) in  // the body's error type is kept
        try Tensor<Float>.randn([6, 3]).indexSelect(rows: Tensor<Int64>([2, 0]))
    }
    show((table, picked))
}

// Sources/Tensor/Tensor.docc/Tensor.md, example 1: compiled only, uses the context's url
private func example_Tensor_Tensor_docc_Tensor_1() throws {

    show(manualSeed(123))
    let table = Tensor<Float>.randn([6, 3])  // torch.manual_seed(123); torch.randn(6, 3)
    print(table)  // tensor([[...]]) as PyTorch prints it
    let rows = try table.indexSelect(rows: Tensor<Int64>([2, 3, 5, 1]))
    show(rows.shape)  // [4, 3]
    let scaled = (rows * 2 + 1).sum(axis: 1)  // broadcasting, reductions
    let file = try SafetensorsFile(contentsOf: url)  // mapped: opens in microseconds
    let weights = try file.tensor(named: "wte.weight")
    show((table, rows, scaled, file, weights))
}

/// The examples that run (each checked by DocumentationExamplesTests.statedResultsHold). The
/// context's names trap when read, so here they are unavailable.
enum ExecutedDocumentationExamples {
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var url: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var copyURL: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var directory: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var runDirectory: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var file: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var ids: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var model: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var embedding: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var tok: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var pos: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var weight: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var embeddings: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var w: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var a: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var b: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var x: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var loss: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var catID: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var dogID: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var breadID: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var rawText: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var gpt2: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var tokenizer: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var dataset: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var logits: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var predictions: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var targets: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var pretrained: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var sgd: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var wordsDone: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var wordsInAllEpochs: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var vectors: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var wordVectors: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var batch: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var vocabulary: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var counts: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var input: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var output: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var group: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var loader: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var lossFunction: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var fileSize: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var myShareOfTheText: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var batchLoss: Never { fatalError() }
    @available(*, unavailable, message: "a run example cannot use the context's stand-ins")
    static var timeToExchange: Never { fatalError() }

    static let all: [RunnableDocumentationExample] = [
        RunnableDocumentationExample("Sources/Autograd/Autograd.docc/Autograd.md", 1, statedLines: [6: 1, 7: 1, 14: 1], example_Autograd_Autograd_docc_Autograd_1),
        RunnableDocumentationExample("Sources/Autograd/Backward.swift", 1, statedLines: [3: 1], example_Autograd_Backward_1),
        RunnableDocumentationExample("Sources/Autograd/Backward.swift", 2, statedLines: [3: 1], example_Autograd_Backward_2),
        RunnableDocumentationExample("Sources/Autograd/GradientCheck.swift", 1, statedLines: [2: 1], example_Autograd_GradientCheck_1),
        RunnableDocumentationExample("Sources/Autograd/Ops/LinearAlgebraOps.swift", 1, statedLines: [3: 1], example_Autograd_Ops_LinearAlgebraOps_1),
        RunnableDocumentationExample("Sources/Autograd/Variable.swift", 1, statedLines: [4: 1], example_Autograd_Variable_1),
        RunnableDocumentationExample("Sources/Autograd/Variable.swift", 3, statedLines: [2: 1], example_Autograd_Variable_3),
        RunnableDocumentationExample("Sources/Autograd/VariableValueAccess.swift", 1, statedLines: [2: 1], example_Autograd_VariableValueAccess_1),
        RunnableDocumentationExample("Sources/NN/Analysis/CountBaselines.swift", 1, statedLines: [2: 1], example_NN_Analysis_CountBaselines_1),
        RunnableDocumentationExample("Sources/NN/Analysis/UnigramEntropy.swift", 1, statedLines: [1: 1], example_NN_Analysis_UnigramEntropy_1),
        RunnableDocumentationExample("Sources/NN/Corpus/WordVocabulary.swift", 2, statedLines: [2: 1, 3: 1], example_NN_Corpus_WordVocabulary_2),
        RunnableDocumentationExample("Sources/NN/Data/DataLoader.swift", 1, statedLines: [4: 3], example_NN_Data_DataLoader_1),
        RunnableDocumentationExample("Sources/NN/Data/DataLoader.swift", 2, statedLines: [3: 1], example_NN_Data_DataLoader_2),
        RunnableDocumentationExample("Sources/NN/Data/Dataset.swift", 1, statedLines: [6: 3], example_NN_Data_Dataset_1),
        RunnableDocumentationExample("Sources/NN/Data/PlantedClassCorpus.swift", 1, statedLines: [2: 1, 3: 1], example_NN_Data_PlantedClassCorpus_1),
        RunnableDocumentationExample("Sources/NN/Data/SlidingWindowDataset.swift", 1, statedLines: [2: 1, 3: 1, 4: 1], example_NN_Data_SlidingWindowDataset_1),
        RunnableDocumentationExample("Sources/NN/Distributed/DeltaExchange.swift", 2, statedLines: [4: 1], example_NN_Distributed_DeltaExchange_2),
        RunnableDocumentationExample("Sources/NN/Distributed/ProcessGroup+Threads.swift", 1, statedLines: [2: 1], example_NN_Distributed_ProcessGroup_Threads_1),
        RunnableDocumentationExample("Sources/NN/Distributed/ProcessGroup.swift", 1, statedLines: [5: 1], example_NN_Distributed_ProcessGroup_1),
        RunnableDocumentationExample("Sources/NN/Distributed/ProcessGroup.swift", 4, statedLines: [2: 1], example_NN_Distributed_ProcessGroup_4),
        RunnableDocumentationExample("Sources/NN/Distributed/ProcessGroup.swift", 5, statedLines: [3: 1], example_NN_Distributed_ProcessGroup_5),
        RunnableDocumentationExample("Sources/NN/Distributed/ProcessGroup.swift", 6, statedLines: [5: 1], example_NN_Distributed_ProcessGroup_6),
        RunnableDocumentationExample("Sources/NN/Distributed/ProcessGroup.swift", 7, statedLines: [3: 1], example_NN_Distributed_ProcessGroup_7),
        RunnableDocumentationExample("Sources/NN/Distributed/ProcessGroup.swift", 8, statedLines: [3: 1], example_NN_Distributed_ProcessGroup_8),
        RunnableDocumentationExample("Sources/NN/Layers/Embedding.swift", 1, statedLines: [3: 1, 10: 1], example_NN_Layers_Embedding_1),
        RunnableDocumentationExample("Sources/NN/Layers/EmbeddingBag.swift", 1, statedLines: [3: 1], example_NN_Layers_EmbeddingBag_1),
        RunnableDocumentationExample("Sources/NN/Layers/PositionalEncoding.swift", 1, statedLines: [6: 1], example_NN_Layers_PositionalEncoding_1),
        RunnableDocumentationExample("Sources/NN/Layers/RelativePositionalEmbedding.swift", 1, statedLines: [2: 1], example_NN_Layers_RelativePositionalEmbedding_1),
        RunnableDocumentationExample("Sources/NN/Layers/RotaryPositionalEmbedding.swift", 1, statedLines: [3: 1], example_NN_Layers_RotaryPositionalEmbedding_1),
        RunnableDocumentationExample("Sources/NN/Layers/SinusoidalPositionalEncoding.swift", 1, statedLines: [2: 1], example_NN_Layers_SinusoidalPositionalEncoding_1),
        RunnableDocumentationExample("Sources/NN/Losses/MeanSquaredError.swift", 1, statedLines: [3: 1], example_NN_Losses_MeanSquaredError_1),
        RunnableDocumentationExample("Sources/NN/Losses/NegativeSamplingLoss.swift", 1, statedLines: [4: 1, 5: 1], example_NN_Losses_NegativeSamplingLoss_1),
        RunnableDocumentationExample("Sources/NN/Module.swift", 1, statedLines: [5: 1], example_NN_Module_1),
        RunnableDocumentationExample("Sources/NN/Text/BytePairTokenizer+GPT2.swift", 1, statedLines: [2: 1], example_NN_Text_BytePairTokenizer_GPT2_1),
        RunnableDocumentationExample("Sources/NN/Text/BytePairTokenizer.swift", 2, statedLines: [1: 1], example_NN_Text_BytePairTokenizer_2),
        RunnableDocumentationExample("Sources/NN/Text/ByteTokenizer.swift", 1, statedLines: [2: 1, 3: 1], example_NN_Text_ByteTokenizer_1),
        RunnableDocumentationExample("Sources/NN/Text/ByteTokenizer.swift", 2, statedLines: [1: 1], example_NN_Text_ByteTokenizer_2),
        RunnableDocumentationExample("Sources/NN/Text/Tokenizer.swift", 1, statedLines: [3: 1], example_NN_Text_Tokenizer_1),
        RunnableDocumentationExample("Sources/NN/Text/Tokenizer.swift", 3, statedLines: [1: 1], example_NN_Text_Tokenizer_3),
        RunnableDocumentationExample("Sources/NN/Text/WordTokenizer.swift", 1, statedLines: [2: 1, 3: 1], example_NN_Text_WordTokenizer_1),
        RunnableDocumentationExample("Sources/NN/Text/WordTokenizer.swift", 2, statedLines: [1: 1], example_NN_Text_WordTokenizer_2),
        RunnableDocumentationExample("Sources/NN/Word2Vec/ContextWindows.swift", 1, statedLines: [3: 1, 4: 1], example_NN_Word2Vec_ContextWindows_1),
        RunnableDocumentationExample("Sources/NN/Word2Vec/FrequentWordSubsampler.swift", 1, statedLines: [2: 1, 3: 1], example_NN_Word2Vec_FrequentWordSubsampler_1),
        RunnableDocumentationExample("Sources/NN/WordVectors/AnalogyQuestions.swift", 3, statedLines: [2: 1, 3: 1], example_NN_WordVectors_AnalogyQuestions_3),
        RunnableDocumentationExample("Sources/NN/WordVectors/WordVectors.swift", 1, statedLines: [2: 1, 3: 1, 4: 1], example_NN_WordVectors_WordVectors_1),
        RunnableDocumentationExample("Sources/Tensor/Core/Broadcasting.swift", 1, statedLines: [1: 1, 2: 1], example_Tensor_Core_Broadcasting_1),
        RunnableDocumentationExample("Sources/Tensor/Core/Creation.swift", 1, statedLines: [1: 1], example_Tensor_Core_Creation_1),
        RunnableDocumentationExample("Sources/Tensor/Core/Creation.swift", 3, statedLines: [1: 1], example_Tensor_Core_Creation_3),
        RunnableDocumentationExample("Sources/Tensor/Core/Layout.swift", 1, statedLines: [2: 1, 3: 1], example_Tensor_Core_Layout_1),
        RunnableDocumentationExample("Sources/Tensor/Core/Tensor.swift", 1, statedLines: [2: 1, 3: 1], example_Tensor_Core_Tensor_1),
        RunnableDocumentationExample("Sources/Tensor/Core/Tensor.swift", 4, statedLines: [2: 1, 3: 1], example_Tensor_Core_Tensor_4),
        RunnableDocumentationExample("Sources/Tensor/Core/Tensor.swift", 5, statedLines: [2: 1], example_Tensor_Core_Tensor_5),
        RunnableDocumentationExample("Sources/Tensor/Core/TensorIndexExpression.swift", 1, statedLines: [2: 1, 3: 1], example_Tensor_Core_TensorIndexExpression_1),
        RunnableDocumentationExample("Sources/Tensor/Core/TensorIndexExpression.swift", 2, statedLines: [2: 1], example_Tensor_Core_TensorIndexExpression_2),
        RunnableDocumentationExample("Sources/Tensor/Core/Views.swift", 1, statedLines: [1: 1], example_Tensor_Core_Views_1),
        RunnableDocumentationExample("Sources/Tensor/Core/Views.swift", 2, statedLines: [1: 1], example_Tensor_Core_Views_2),
        RunnableDocumentationExample("Sources/Tensor/Core/Views.swift", 3, statedLines: [1: 1], example_Tensor_Core_Views_3),
        RunnableDocumentationExample("Sources/Tensor/Core/Views.swift", 4, statedLines: [2: 1], example_Tensor_Core_Views_4),
        RunnableDocumentationExample("Sources/Tensor/Core/Views.swift", 5, statedLines: [2: 1], example_Tensor_Core_Views_5),
        RunnableDocumentationExample("Sources/Tensor/Core/Views.swift", 6, statedLines: [1: 1], example_Tensor_Core_Views_6),
        RunnableDocumentationExample("Sources/Tensor/Formatting/TensorDescription.swift", 1, statedLines: [1: 1, 4: 1], example_Tensor_Formatting_TensorDescription_1),
        RunnableDocumentationExample("Sources/Tensor/Formatting/TensorDescription.swift", 2, statedLines: [1: 1], example_Tensor_Formatting_TensorDescription_2),
        RunnableDocumentationExample("Sources/Tensor/IO/SafetensorsDType.swift", 1, statedLines: [1: 1, 2: 1], example_Tensor_IO_SafetensorsDType_1),
        RunnableDocumentationExample("Sources/Tensor/Ops/Comparison.swift", 1, statedLines: [1: 1], example_Tensor_Ops_Comparison_1),
        RunnableDocumentationExample("Sources/Tensor/Ops/Comparison.swift", 3, statedLines: [1: 1, 2: 1], example_Tensor_Ops_Comparison_3),
        RunnableDocumentationExample("Sources/Tensor/Ops/Comparison.swift", 4, statedLines: [1: 1], example_Tensor_Ops_Comparison_4),
        RunnableDocumentationExample("Sources/Tensor/Ops/Comparison.swift", 5, statedLines: [1: 1], example_Tensor_Ops_Comparison_5),
        RunnableDocumentationExample("Sources/Tensor/Ops/Indexing.swift", 1, statedLines: [2: 1, 3: 1, 4: 1], example_Tensor_Ops_Indexing_1),
        RunnableDocumentationExample("Sources/Tensor/Ops/Indexing.swift", 2, statedLines: [4: 1], example_Tensor_Ops_Indexing_2),
        RunnableDocumentationExample("Sources/Tensor/Ops/Indexing.swift", 3, statedLines: [3: 1], example_Tensor_Ops_Indexing_3),
        RunnableDocumentationExample("Sources/Tensor/Ops/Joining.swift", 1, statedLines: [3: 1, 4: 1], example_Tensor_Ops_Joining_1),
        RunnableDocumentationExample("Sources/Tensor/Ops/Joining.swift", 2, statedLines: [2: 1, 3: 1], example_Tensor_Ops_Joining_2),
        RunnableDocumentationExample("Sources/Tensor/Ops/Matmul.swift", 1, statedLines: [3: 1, 4: 1], example_Tensor_Ops_Matmul_1),
        RunnableDocumentationExample("Sources/Tensor/Ops/Reductions.swift", 1, statedLines: [1: 1], example_Tensor_Ops_Reductions_1),
        RunnableDocumentationExample("Sources/Tensor/Ops/Reductions.swift", 2, statedLines: [2: 1, 3: 1], example_Tensor_Ops_Reductions_2),
        RunnableDocumentationExample("Sources/Tensor/Ops/Reductions.swift", 3, statedLines: [1: 1], example_Tensor_Ops_Reductions_3),
        RunnableDocumentationExample("Sources/Tensor/Ops/Reductions.swift", 4, statedLines: [1: 1], example_Tensor_Ops_Reductions_4),
        RunnableDocumentationExample("Sources/Tensor/Ops/Reductions.swift", 5, statedLines: [1: 1], example_Tensor_Ops_Reductions_5),
        RunnableDocumentationExample("Sources/Tensor/Ops/Reductions.swift", 6, statedLines: [1: 1], example_Tensor_Ops_Reductions_6),
        RunnableDocumentationExample("Sources/Tensor/Ops/Reductions.swift", 7, statedLines: [1: 1], example_Tensor_Ops_Reductions_7),
        RunnableDocumentationExample("Sources/Tensor/Ops/Reductions.swift", 8, statedLines: [1: 1], example_Tensor_Ops_Reductions_8),
        RunnableDocumentationExample("Sources/Tensor/Ops/Reductions.swift", 9, statedLines: [1: 1], example_Tensor_Ops_Reductions_9),
        RunnableDocumentationExample("Sources/Tensor/Ops/Reductions.swift", 10, statedLines: [2: 1], example_Tensor_Ops_Reductions_10),
        RunnableDocumentationExample("Sources/Tensor/Ops/Reductions.swift", 11, statedLines: [1: 1], example_Tensor_Ops_Reductions_11),
        RunnableDocumentationExample("Sources/Tensor/Ops/Reductions.swift", 12, statedLines: [1: 1], example_Tensor_Ops_Reductions_12),
        RunnableDocumentationExample("Sources/Tensor/Ops/Reductions.swift", 13, statedLines: [1: 1, 2: 1, 3: 1], example_Tensor_Ops_Reductions_13),
        RunnableDocumentationExample("Sources/Tensor/Ops/Softmax.swift", 1, statedLines: [1: 1], example_Tensor_Ops_Softmax_1),
        RunnableDocumentationExample("Sources/Tensor/Ops/Softmax.swift", 2, statedLines: [1: 1], example_Tensor_Ops_Softmax_2),
        RunnableDocumentationExample("Sources/Tensor/Ops/Softmax.swift", 3, statedLines: [1: 1], example_Tensor_Ops_Softmax_3),
        RunnableDocumentationExample("Sources/Tensor/Random/Generator.swift", 1, statedLines: [3: 1], example_Tensor_Random_Generator_1),
        RunnableDocumentationExample("Sources/Tensor/Random/Generator.swift", 2, statedLines: [2: 1], example_Tensor_Random_Generator_2),
        RunnableDocumentationExample("Sources/Tensor/Random/MersenneTwister.swift", 1, statedLines: [2: 1], example_Tensor_Random_MersenneTwister_1),
        RunnableDocumentationExample("Sources/Tensor/Random/RandomFactories.swift", 1, statedLines: [2: 1], example_Tensor_Random_RandomFactories_1),
        RunnableDocumentationExample("Sources/Tensor/Random/RandomFactories.swift", 2, statedLines: [1: 1], example_Tensor_Random_RandomFactories_2),
        RunnableDocumentationExample("Sources/Tensor/Random/RandomFactories.swift", 5, statedLines: [1: 1], example_Tensor_Random_RandomFactories_5),
        RunnableDocumentationExample("Sources/Tensor/Random/RandomFactories.swift", 6, statedLines: [1: 1], example_Tensor_Random_RandomFactories_6),
    ]
}
