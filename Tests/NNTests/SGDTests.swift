import Testing
import NN

@Suite struct SGDTests {
    @Test(arguments: SGDGoldenCase.all)
    func followsPyTorchTrajectoriesBitForBit(_ golden: SGDGoldenCase) {
        let parameter = Parameter(Tensor<Float>(nested: golden.initial))
        let options = golden.options
        let sgd = SGD(parameters: [parameter], learningRate: options.learningRate, momentum: options.momentum,
                      dampening: options.dampening, weightDecay: options.weightDecay, nesterov: options.nesterov,
                      maximize: options.maximize)
        for (step, (gradient, expected)) in zip(golden.gradients, golden.parametersAfterEachStep).enumerated() {
            parameter.grad = Tensor(nested: gradient)
            sgd.step()
            #expect(parameter.value.scalars.map(\.bitPattern) == expected.flatMap { $0 }.map(\.bitPattern),
                    "after step \(step + 1)")
        }
    }

    @Test func frozenParameterIsSkippedAndGetsNoMomentumState() {
        let trained = Parameter(Tensor<Float>([1, 2]))
        let frozen = Parameter(Tensor<Float>([3, 4]), requiresGrad: false)
        let sgd = SGD(parameters: [trained, frozen], learningRate: 0.5, momentum: 0.9, weightDecay: 0.1)
        ((trained * frozen).sum()).backward()
        sgd.step()
        #expect(bitPatterns(frozen.value) == bitPatterns([3, 4]))
        #expect(frozen.grad == nil)
        #expect(sgd.momentumBuffer(for: frozen) == nil)
        #expect(sgd.momentumBuffer(for: trained) != nil)
        #expect(trained.value.scalars != [1, 2])
    }

    @Test func parameterWithoutGradientIsNotDecayed() {
        let unused = Parameter(Tensor<Float>([1, -1]))
        let sgd = SGD(parameters: [unused], learningRate: 0.1, weightDecay: 0.5)
        sgd.step()
        #expect(bitPatterns(unused.value) == bitPatterns([1, -1]))
    }

    @Test func zeroGradClearsEveryGradient() {
        let first = Parameter(Tensor<Float>([1])), second = Parameter(Tensor<Float>([2]))
        (first * second).sum().backward()
        SGD(parameters: [first, second]).zeroGrad()
        #expect(first.grad == nil && second.grad == nil)
    }

    @Test func rowGradientWithDuplicateRowsMatchesDenseUpdateBitForBit() {
        let (table, gradient) = tableWithRowGradient(rows: [3, 7, 3, 1, 3, 7], seed: 11)
        let sparse = Parameter(table), dense = Parameter(table)
        sparse.gradient = .rows(gradient)
        dense.grad = gradient.densified()
        SGD(parameters: [sparse], learningRate: 0.37).step()
        SGD(parameters: [dense], learningRate: 0.37).step()
        #expect(sparse.value.scalars.map(\.bitPattern) == dense.value.scalars.map(\.bitPattern))
    }

    @Test func rowGradientFromIndexSelectMatchesDenseUpdateBitForBit() throws {
        let table = Tensor<Float>.randn([12, 5], generator: Generator(seed: 5))
        let weights = Tensor<Float>.randn([2, 4, 5], generator: Generator(seed: 6))
        let ids = Tensor<Int64>(shape: [2, 4], scalars: [4, 9, 4, 0, 11, 4, 9, 2])
        let sparse = Parameter(table), dense = Parameter(table)
        (try sparse.indexSelect(rows: ids) * weights).sum().backward()
        guard case .rows(let rows)? = sparse.gradient else {
            Issue.record("indexSelect should leave a row-sparse gradient")
            return
        }
        dense.grad = rows.densified()
        SGD(parameters: [sparse], learningRate: 0.1, maximize: true).step()
        SGD(parameters: [dense], learningRate: 0.1, maximize: true).step()
        #expect(sparse.value.scalars.map(\.bitPattern) == dense.value.scalars.map(\.bitPattern))
    }

    @Test(arguments: [
        SGDOptions(learningRate: 0.1, momentum: 0.9),
        SGDOptions(learningRate: 0.1, momentum: 0.8, dampening: 0.3, weightDecay: 0.01),
        SGDOptions(learningRate: 0.05, momentum: 0.9, nesterov: true, maximize: true),
        SGDOptions(learningRate: 0.1, weightDecay: 0.01),
    ])
    func rowGradientsKeepDenseSemanticsWithMomentumAndWeightDecay(_ options: SGDOptions) {
        let table = Tensor<Float>.randn([10, 6], generator: Generator(seed: 21))
        let sparse = Parameter(table), dense = Parameter(table)
        let sparseSGD = makeSGD([sparse], options), denseSGD = makeSGD([dense], options)
        for (step, rows) in [[1, 4, 1], [4, 8], [0, 0, 9, 1]].enumerated() {
            let gradient = rowGradient(rows: rows, rowCount: 10, rowLength: 6, seed: UInt64(30 + step))
            sparse.gradient = .rows(gradient)
            dense.grad = gradient.densified()
            sparseSGD.step()
            denseSGD.step()
            #expect(sparse.value.scalars.map(\.bitPattern) == dense.value.scalars.map(\.bitPattern), "step \(step + 1)")
        }
        #expect(bitPatterns(sparseSGD.momentumBuffer(for: sparse)) == bitPatterns(denseSGD.momentumBuffer(for: dense)))
    }

    @Test(arguments: [
        SGDOptions(learningRate: 0.1),
        SGDOptions(learningRate: 0.1, momentum: 0.9),
        SGDOptions(learningRate: 0.1, momentum: 0.9, dampening: 0.5, maximize: true),
        SGDOptions(learningRate: 0.1, weightDecay: 0.01),
    ])
    func singleEntryRowsReadInPlaceKeepTheDenseSignOfZero(_ options: SGDOptions) {
        // Row 1 has one entry (read in place), row 2 two; the dense gradient holds 0 + (−0) = +0
        // where an entry is −0, and −0 − 0.1·(+0) stays −0 while −0 − 0.1·(−0) would be +0.
        let table = Tensor<Float>(shape: [3, 2], scalars: [1, 2, -0.0, -0.0, -0.0, 5])
        let gradient = RowSparseGradient(rowIndices: Tensor<Int64>([1, 2, 2]),
                                         values: Tensor<Float>(shape: [3, 2], scalars: [-0.0, 3, -0.0, -0.0, -0.0, 1]),
                                         rowCount: 3)
        let sparse = Parameter(table), dense = Parameter(table)
        let sparseSGD = makeSGD([sparse], options), denseSGD = makeSGD([dense], options)
        for _ in 0..<2 {
            sparse.gradient = .rows(gradient)
            dense.grad = gradient.densified()
            sparseSGD.step()
            denseSGD.step()
            #expect(sparse.value.scalars.map(\.bitPattern) == dense.value.scalars.map(\.bitPattern))
        }
        if options.momentum == 0 && options.weightDecay == 0 {
            #expect(sparse.value.scalars[2].bitPattern == (-0.0 as Float).bitPattern)
        }
    }

    @Test(arguments: [
        SGDOptions(learningRate: 0.1, momentum: 0.9),
        SGDOptions(learningRate: 0.1, momentum: 0.9, dampening: 0.4),
        SGDOptions(learningRate: 0.1, momentum: 0.9, nesterov: true),
        SGDOptions(learningRate: 0.1, momentum: 0.9, maximize: true),
        SGDOptions(learningRate: 0.1, maximize: true),
    ])
    func rowsWithoutGradientsMatchTheDenseUpdateIncludingNegativeZeros(_ options: SGDOptions) {
        expectRowSparseStepsMatchDense(seed: 70, make: { makeSGD($0, options) }) { sgd, parameter in
            sgd.momentumBuffer(for: parameter)
        }
    }

    @Test func denseGradientKeepsItsNegativeZeros() {
        // A dense gradient is used as given: −0 − 0.1·(−0) = +0, in Float and in Double.
        let single = Parameter(Tensor<Float>([-0.0, 1])), double = Parameter(Tensor<Double>([-0.0, 1]))
        single.grad = Tensor<Float>([-0.0, 1])
        double.grad = Tensor<Double>([-0.0, 1])
        SGD(parameters: [single], learningRate: 0.1).step()
        SGD(parameters: [double], learningRate: 0.1).step()
        #expect(single.value.scalars[0].bitPattern == 0)
        #expect(double.value.scalars[0].bitPattern == 0)
    }

    @Test func singleEntryRowsReadInPlaceKeepTheDenseSignOfZeroInDouble() {
        let table = Tensor<Double>(shape: [2, 2], scalars: [-0.0, 1, -0.0, 2])
        let gradient = RowSparseGradient(rowIndices: Tensor<Int64>([0]), values: Tensor<Double>(shape: [1, 2], scalars: [-0.0, 1]),
                                         rowCount: 2)
        let sparse = Parameter(table), dense = Parameter(table)
        sparse.gradient = .rows(gradient)
        dense.grad = gradient.densified()
        SGD(parameters: [sparse], learningRate: 0.1).step()
        SGD(parameters: [dense], learningRate: 0.1).step()
        #expect(sparse.value.scalars.map(\.bitPattern) == dense.value.scalars.map(\.bitPattern))
        #expect(sparse.value.scalars[0].bitPattern == (-0.0 as Double).bitPattern)
    }

    @Test func sparseParameterAppliesEachEntryOnItsOwnInEntryOrder() {
        let (table, gradient) = tableWithRowGradient(rows: [3, 1, 3], seed: 13)
        let parameter = Parameter(table)
        parameter.isSparse = true
        parameter.gradient = .rows(gradient)
        SGD(parameters: [parameter], learningRate: 0.3).step()
        var expected = table.scalars
        let values = gradient.values.scalars, width = table.shape[1]
        for (entry, row) in [3, 1, 3].enumerated() {
            for column in 0..<width {
                let position = row * width + column
                expected[position] = expected[position].addingProduct(values[entry * width + column], Float(-0.3))
            }
        }
        #expect(parameter.value.scalars.map(\.bitPattern) == expected.map(\.bitPattern))
    }

    @Test func sparseParameterWithMomentumMovesOnlyRowsThatHadGradients() {
        let table = Tensor<Float>.randn([8, 3], generator: Generator(seed: 40))
        let sparse = Parameter(table), dense = Parameter(table)
        sparse.isSparse = true
        let sparseSGD = SGD(parameters: [sparse], learningRate: 0.1, momentum: 0.9, nesterov: true)
        let denseSGD = SGD(parameters: [dense], learningRate: 0.1, momentum: 0.9, nesterov: true)
        for (step, rows) in [[2, 5], [5], [6, 2]].enumerated() {
            let gradient = rowGradient(rows: rows, rowCount: 8, rowLength: 3, seed: UInt64(50 + step))
            sparse.gradient = .rows(gradient)
            dense.grad = gradient.densified()
            sparseSGD.step()
            denseSGD.step()
        }
        #expect(sparse.value.scalars.map(\.bitPattern) == dense.value.scalars.map(\.bitPattern))
        for row in [0, 1, 3, 4, 7] { #expect(bitPatterns(sparse.value[row]) == bitPatterns(table[row])) }
    }

    @Test func largeUpdatesDoNotDependOnThreadCount() {
        let table = Tensor<Float>.randn([600, 256], generator: Generator(seed: 60))
        let rows = (0..<3000).map { ($0 * 7919) % 600 }
        let gradient = rowGradient(rows: rows, rowCount: 600, rowLength: 256, seed: 61)
        var results: [[UInt32]] = []
        for threads in [1, 4] {
            withMaximumThreadCount(threads) {
                let plain = Parameter(table), withMomentum = Parameter(table)
                plain.gradient = .rows(gradient)
                withMomentum.gradient = .rows(gradient)
                SGD(parameters: [plain], learningRate: 0.1).step()
                SGD(parameters: [withMomentum], learningRate: 0.1, momentum: 0.9, weightDecay: 0.01).step()
                results.append((plain.value.scalars + withMomentum.value.scalars).map(\.bitPattern))
            }
        }
        #expect(results[0] == results[1])
    }

    @Test func sparseEntriesAreAppliedInOrderWhateverTheThreadCount() {
        // 3000 entries of 256: enough elements for several owners of row blocks.
        let table = Tensor<Float>.randn([600, 256], generator: Generator(seed: 62))
        let rows = (0..<3000).map { ($0 * 7919) % 600 }
        let gradient = rowGradient(rows: rows, rowCount: 600, rowLength: 256, seed: 63)
        // The reference: each entry in order, `p = fma(g, −lr, p)`, one element at a time.
        var expected = table.scalars
        let values = gradient.values.scalars
        for (entry, row) in rows.enumerated() {
            for column in 0..<256 {
                expected[row * 256 + column] = expected[row * 256 + column]
                    .addingProduct(values[entry * 256 + column], -Float(0.1))
            }
        }
        for threads in [1, 2, 4] {
            withMaximumThreadCount(threads) {
                let parameter = Parameter(table)
                parameter.isSparse = true
                parameter.gradient = .rows(gradient)
                SGD(parameters: [parameter], learningRate: 0.1).step()
                #expect(parameter.value.scalars.map(\.bitPattern) == expected.map(\.bitPattern), "\(threads) threads")
            }
        }
    }

    @Test func worksInDouble() {
        let parameter = Parameter(Tensor<Double>([1, -2]))
        let sgd = SGD(parameters: [parameter], learningRate: 0.25, momentum: 0.5)
        for _ in 0..<2 {
            sgd.zeroGrad()
            (parameter * parameter).sum().backward()
            sgd.step()
        }
        // buf1 = 2x0 = [2, -4], x1 = x0 - 0.25·buf1 = [0.5, -1]; buf2 = 0.5·buf1 + 2x1 = [2, -4], x2 = [0, 0].
        #expect(bitPatterns(parameter.value) == bitPatterns([0, 0]))   // +0, as PyTorch's p - lr·buf
    }

    @Test func negativeLearningRateTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = SGD(parameters: [Parameter(Tensor<Float>([1]))], learningRate: -0.1)
        }
    }

    @Test func nesterovWithoutMomentumTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = SGD(parameters: [Parameter(Tensor<Float>([1]))], learningRate: 0.1, nesterov: true)
        }
    }

    @Test func weightDecayOnSparseParameterTraps() async {
        await #expect(processExitsWith: .failure) {
            let parameter = Parameter(Tensor<Float>.zeros([4, 2]))
            parameter.isSparse = true
            parameter.gradient = .rows(RowSparseGradient(rowIndices: Tensor([1]), values: .ones([1, 2]), rowCount: 4))
            SGD(parameters: [parameter], learningRate: 0.1, weightDecay: 0.1).step()
        }
    }

    @Test func rowSparseStepAfterTheTableChangedShapeTraps() async {
        // The row bookkeeping is sized by the first row-sparse step; a table replaced by one of
        // another shape must not be written with the old row length or row count.
        await #expect(processExitsWith: .failure) {
            let parameter = Parameter(Tensor<Float>.zeros([4, 2]))
            let sgd = SGD(parameters: [parameter], learningRate: 0.1)
            parameter.gradient = .rows(RowSparseGradient(rowIndices: Tensor([1]), values: .ones([1, 2]), rowCount: 4))
            sgd.step()
            parameter.value = Tensor<Float>.zeros([4, 3])
            parameter.gradient = .rows(RowSparseGradient(rowIndices: Tensor([1, 1]), values: .ones([2, 3]), rowCount: 4))
            sgd.step()
        }
    }
}

private func makeSGD(_ parameters: [Parameter<Float>], _ options: SGDOptions) -> SGD<Float> {
    SGD(parameters: parameters, learningRate: options.learningRate, momentum: options.momentum,
        dampening: options.dampening, weightDecay: options.weightDecay, nesterov: options.nesterov,
        maximize: options.maximize)
}

/// A random row-sparse gradient with one entry per element of `rows`.
private func rowGradient(rows: [Int], rowCount: Int, rowLength: Int, seed: UInt64) -> RowSparseGradient<Float> {
    RowSparseGradient(rowIndices: Tensor(rows.map(Int64.init)),
                      values: .randn([rows.count, rowLength], generator: Generator(seed: seed)), rowCount: rowCount)
}

/// A random [10, 4] table and a random row-sparse gradient for it.
private func tableWithRowGradient(rows: [Int], seed: UInt64) -> (Tensor<Float>, RowSparseGradient<Float>) {
    (.randn([10, 4], generator: Generator(seed: seed)), rowGradient(rows: rows, rowCount: 10, rowLength: 4, seed: seed + 100))
}

/// SGD's hyper-parameters for one golden case (the names of `SGD.init`; unset ones are PyTorch's defaults).
struct SGDOptions: Sendable, CustomTestStringConvertible {
    var learningRate: Double
    var momentum: Double = 0
    var dampening: Double = 0
    var weightDecay: Double = 0
    var nesterov = false
    var maximize = false

    var testDescription: String {
        "lr \(learningRate), momentum \(momentum), dampening \(dampening), weight decay \(weightDecay), "
            + "nesterov \(nesterov), maximize \(maximize)"
    }
}

/// One trajectory of golden.json key `sgd`: a [3, 4] Float parameter, the gradient given before each
/// of four steps, and PyTorch 2.15's parameter after each step (x86-64, bit-exact).
struct SGDGoldenCase: Sendable, CustomTestStringConvertible {
    var options: SGDOptions
    var initial: [[Float]]
    var gradients: [[[Float]]]
    var parametersAfterEachStep: [[[Float]]]

    var testDescription: String { options.testDescription }
}

extension SGDGoldenCase {
    /// golden.json `sgd`, all six option sets, copied as Float literals.
    static let all: [SGDGoldenCase] = [
        SGDGoldenCase(
            options: SGDOptions(learningRate: 0.1),
            initial: [
                [0.39229682, -0.22356401, -0.31950027, -1.2050371],
                [1.0444635, -0.6332277, 0.57310677, 0.54094744],
                [-0.39190584, -1.0426788, 1.3186173, 0.747639],
            ],
            gradients: [
                [
                    [-1.3264806, -1.2412971, -0.10280493, -0.9497631],
                    [0.61810493, -0.23847501, 0.024509044, -0.49122968],
                    [-0.059134394, -1.5652566, 0.42580393, -1.4817982],
                ],
                [
                    [-0.47656956, 0.24804358, 0.15592518, -0.16073541],
                    [0.4172337, 1.0003632, 0.6007621, 0.10979536],
                    [-0.8411324, -0.29079723, -0.14798073, -0.9266478],
                ],
                [
                    [-1.3256446, 1.4205228, -0.41900748, 0.35768658],
                    [-0.15081224, 0.10868089, -0.11352438, -1.3955414],
                    [-1.3766499, -0.09680592, -0.9656218, 0.2583479],
                ],
                [
                    [0.6798685, -0.38861853, -0.5133859, -0.12599526],
                    [-0.15056981, 1.240303, 1.4933516, 0.49872792],
                    [0.23187248, 1.1746274, -1.3967456, 0.8997811],
                ],
            ],
            parametersAfterEachStep: [
                [
                    [0.5249449, -0.0994343, -0.30921978, -1.1100608],
                    [0.982653, -0.6093802, 0.5706559, 0.5900704],
                    [-0.3859924, -0.88615316, 1.276037, 0.8958188],
                ],
                [
                    [0.57260185, -0.12423866, -0.3248123, -1.0939872],
                    [0.94092965, -0.7094165, 0.51057965, 0.5790909],
                    [-0.30187917, -0.8570734, 1.290835, 0.9884836],
                ],
                [
                    [0.70516634, -0.26629093, -0.28291154, -1.1297559],
                    [0.9560109, -0.7202846, 0.52193207, 0.71864504],
                    [-0.16421418, -0.84739286, 1.3873972, 0.9626488],
                ],
                [
                    [0.6371795, -0.22742908, -0.23157296, -1.1171564],
                    [0.97106785, -0.8443149, 0.37259692, 0.6687722],
                    [-0.18740143, -0.9648556, 1.5270717, 0.8726707],
                ],
            ]
        ),
        SGDGoldenCase(
            options: SGDOptions(learningRate: 0.1, momentum: 0.9),
            initial: [
                [1.0956128, -0.52312464, -0.8462221, -0.99458253],
                [0.6310912, 0.5327253, -0.84538585, 0.9405607],
                [-2.122406, 0.023346107, 0.4835696, 1.2895133],
            ],
            gradients: [
                [
                    [0.8956952, -0.24653924, 1.9421614, -0.3627586],
                    [-1.0493711, -1.0264258, 1.3494372, 0.8017718],
                    [-0.4716642, 0.7573155, 0.53413624, 1.3426954],
                ],
                [
                    [1.6101025, 0.07220952, -0.87177527, -0.52042747],
                    [-2.5742633, -0.3432142, -1.2810616, -0.44721425],
                    [0.060855776, 1.3255177, -1.0691922, -0.5364457],
                ],
                [
                    [-1.3446015, -0.83297545, 0.9103108, 1.061329],
                    [-0.5823084, 0.6975525, -1.1333025, -0.30055475],
                    [-1.7166914, -0.036914587, -0.013244332, 0.08018105],
                ],
                [
                    [-0.37895903, -0.23784989, 0.30539834, 1.518992],
                    [-0.63727, -0.5851828, 0.49886855, 0.31463134],
                    [2.037041, 0.76821816, 0.14685194, -0.113813885],
                ],
            ],
            parametersAfterEachStep: [
                [
                    [1.0060432, -0.49847072, -1.0404383, -0.95830667],
                    [0.7360283, 0.6353679, -0.9803296, 0.8603835],
                    [-2.0752397, -0.052385446, 0.43015596, 1.1552438],
                ],
                [
                    [0.7644204, -0.48350313, -1.1280553, -0.8736156],
                    [1.087898, 0.7620676, -0.97367275, 0.83294547],
                    [-2.0388753, -0.2530956, 0.4890029, 1.0880457],
                ],
                [
                    [0.68142, -0.38673475, -1.2979417, -0.9035266],
                    [1.4628116, 0.8063421, -0.85435134, 0.8383067],
                    [-1.8344784, -0.43004328, 0.5432896, 1.0195494],
                ],
                [
                    [0.6446156, -0.27585825, -1.4813793, -1.0823457],
                    [1.8639609, 0.9047075, -0.79684895, 0.8116687],
                    [-1.8542253, -0.666118, 0.57746243, 0.96928406],
                ],
            ]
        ),
        SGDGoldenCase(
            options: SGDOptions(learningRate: 0.05, momentum: 0.9, nesterov: true),
            initial: [
                [1.0402297, 0.91859865, -0.6081579, 0.32810265],
                [-0.78874207, 0.1285688, 2.2954793, -0.11425881],
                [-1.2822267, -0.10401322, 0.31281984, 0.4301396],
            ],
            gradients: [
                [
                    [1.1326058, 1.9187703, -0.9084396, 0.31172943],
                    [0.29075307, -1.085002, 0.8487171, 0.47945473],
                    [-1.516823, -0.017184176, 0.6911563, 0.2675862],
                ],
                [
                    [0.74361765, 0.65005064, 2.4074955, 2.1915746],
                    [0.19826138, 0.34814543, -0.6796603, 1.2736009],
                    [-1.732861, 1.0641981, 1.0910043, -0.33834168],
                ],
                [
                    [0.66689056, 0.42576158, 1.1864308, -0.48187852],
                    [-1.0261081, -0.6851491, 1.7543567, 0.28592706],
                    [0.43325713, 0.11519909, -0.2722021, -0.05929299],
                ],
                [
                    [0.6670777, 0.945633, -1.2548736, -0.91902614],
                    [1.2790883, -0.99237925, 2.0871947, 0.90732026],
                    [-1.189242, -0.00032912847, -0.3783414, -0.9711549],
                ],
            ],
            parametersAfterEachStep: [
                [
                    [0.93263215, 0.7363155, -0.5218561, 0.29848835],
                    [-0.81636363, 0.23164399, 2.2148511, -0.15980701],
                    [-1.1381285, -0.10238072, 0.24715999, 0.4047189],
                ],
                [
                    [0.81611794, 0.5968505, -0.7137764, 0.07766372],
                    [-0.84697396, 0.24251275, 2.245046, -0.30021703],
                    [-0.9120754, -0.2027836, 0.11552276, 0.42602414],
                ],
                [
                    [0.68136334, 0.46013695, -0.89087826, 0.023320876],
                    [-0.76812124, 0.33305034, 2.0749726, -0.39643708],
                    [-0.82776576, -0.25620118, 0.07200365, 0.4356063],
                ],
                [
                    [0.5267219, 0.26641887, -0.87766755, 0.04003527],
                    [-0.86484206, 0.4779785, 1.8025692, -0.5563638],
                    [-0.61941254, -0.29906178, 0.05652979, 0.53382176],
                ],
            ]
        ),
        SGDGoldenCase(
            options: SGDOptions(learningRate: 0.1, momentum: 0.8, dampening: 0.3),
            initial: [
                [-0.101769365, -0.20727353, -0.9478541, -1.7228445],
                [0.18569253, -0.43518135, -1.934549, 0.22850269],
                [-0.4440027, 1.3034655, 0.6047884, 0.16592392],
            ],
            gradients: [
                [
                    [-0.12221976, -0.47638738, -0.39049593, 0.7648518],
                    [0.05002456, 2.2558436, -0.66877425, 0.30686566],
                    [-1.1181765, 0.061182603, 0.7757382, 0.9996039],
                ],
                [
                    [-0.23803166, -1.7623134, 0.48726845, 1.4592079],
                    [1.4165128, 1.0031972, -0.5644207, 0.3819289],
                    [1.7595339, 1.214559, 1.0030639, 0.08280457],
                ],
                [
                    [-0.5952933, -1.568942, -1.7744327, -1.286027],
                    [-0.43949705, 1.029326, -0.9109251, 0.40751877],
                    [-0.57192934, 1.0677006, 0.9035073, 0.30183882],
                ],
                [
                    [-2.2393694, -0.19724347, 0.10384726, 1.4907122],
                    [-0.44906318, 0.47872037, 0.029977206, -1.9597415],
                    [-1.6226383, -0.28467613, -0.56792796, 0.5904442],
                ],
            ],
            parametersAfterEachStep: [
                [
                    [-0.08954739, -0.15963478, -0.90880454, -1.7993296],
                    [0.18069008, -0.6607657, -1.8676715, 0.19781612],
                    [-0.33218503, 1.2973472, 0.5272146, 0.06596353],
                ],
                [
                    [-0.06310759, 0.001838147, -0.91167367, -1.9626623],
                    [0.07753221, -0.911457, -1.7746601, 0.14653184],
                    [-0.36589828, 1.2074335, 0.39494106, -0.019801106],
                ],
                [
                    [-0.0002852207, 0.24084243, -0.7897587, -2.0033066],
                    [0.025770707, -1.1840628, -1.6364863, 0.076978095],
                    [-0.35283384, 1.0607635, 0.22587672, -0.109541535],
                ],
                [
                    [0.20672853, 0.4458529, -0.699496, -2.140172],
                    [0.015795926, -1.435658, -1.5280457, 0.158517],
                    [-0.2287976, 0.96335477, 0.1303802, -0.22266497],
                ],
            ]
        ),
        SGDGoldenCase(
            options: SGDOptions(learningRate: 0.1, weightDecay: 0.01),
            initial: [
                [0.40940687, -0.4750696, 0.22002205, -0.35397595],
                [-0.22593108, 0.13195843, 0.87096345, 0.18573612],
                [-0.682316, 0.37902677, 0.21098484, -0.32565823],
            ],
            gradients: [
                [
                    [-0.8548501, -1.0503407, -0.7021244, 0.32272118],
                    [0.60142833, -0.54284906, -1.0077496, 1.4759163],
                    [-2.2372847, 1.0443219, 0.39092934, -0.88430035],
                ],
                [
                    [-1.4458724, -1.4809173, 1.1135808, 0.14076957],
                    [0.58014965, 0.8358327, 0.39244798, -1.5728133],
                    [1.1691924, -0.031817526, 0.88378173, 0.55278426],
                ],
                [
                    [0.6267695, 0.165962, -1.3682201, -2.101223],
                    [-0.9040713, -0.89741915, -1.4595829, -0.47965556],
                    [-1.3141558, 0.5738563, -1.5160576, -0.23711489],
                ],
                [
                    [-0.8271628, 0.7568639, 0.27464095, 0.931061],
                    [-0.52424854, -0.19058016, 2.1076212, 1.3199548],
                    [-0.67540616, -0.5069168, 0.7589869, -1.2840508],
                ],
            ],
            parametersAfterEachStep: [
                [
                    [0.4944825, -0.36956048, 0.29001448, -0.3858941],
                    [-0.285848, 0.18611138, 0.97086746, 0.037958752],
                    [-0.45790523, 0.27421555, 0.17168093, -0.23690253],
                ],
                [
                    [0.63857526, -0.22109918, 0.17836638, -0.39958516],
                    [-0.34357712, 0.102341995, 0.9306518, 0.19520213],
                    [-0.57436657, 0.2771231, 0.083131075, -0.29194406],
                ],
                [
                    [0.57525975, -0.23747428, 0.31501004, -0.18906327],
                    [-0.25282642, 0.19198157, 1.0756794, 0.24297248],
                    [-0.4423766, 0.21946034, 0.2346537, -0.2679406],
                ],
                [
                    [0.6574008, -0.3129232, 0.28723094, -0.2819803],
                    [-0.20014875, 0.2108476, 0.86384165, 0.11073403],
                    [-0.3743936, 0.26993257, 0.15852036, -0.1392676],
                ],
            ]
        ),
        SGDGoldenCase(
            options: SGDOptions(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01, maximize: true),
            initial: [
                [-0.4893127, -1.4382527, -0.57033026, 0.8001769],
                [0.8400962, 0.444235, 0.9702527, -0.03875158],
                [-1.1936067, -1.2303483, 0.38115853, -0.12244648],
            ],
            gradients: [
                [
                    [-0.4729202, -0.631474, 0.31068036, 0.47541365],
                    [1.440622, -0.6750469, 1.8127801, -0.61839277],
                    [2.6293075, 1.1753783, -0.8259002, -0.715689],
                ],
                [
                    [0.30390695, 0.88469213, -0.15451406, 1.4532293],
                    [-1.1134114, -0.47322857, 1.835619, 0.29382625],
                    [-0.6025763, -0.5867746, -0.33514652, -0.5659009],
                ],
                [
                    [1.333414, 0.8224213, 0.08671737, 1.4656106],
                    [-0.79737353, -0.48108324, 1.8818414, -0.124978065],
                    [-2.5739913, -1.5849262, 1.9498755, 0.15001631],
                ],
                [
                    [-0.35152444, 1.1431324, -1.5121272, 0.4830991],
                    [0.12137898, 0.48266414, -0.7173425, -0.6720127],
                    [1.7128587, 0.99852866, 0.4851258, -0.70372015],
                ],
            ],
            parametersAfterEachStep: [
                [
                    [-0.5361154, -1.4999619, -0.5386919, 0.8469181],
                    [0.98331827, 0.37628606, 1.1505605, -0.10055211],
                    [-0.9294824, -1.1115801, 0.29818735, -0.19389293],
                ],
                [
                    [-0.547311, -1.4655309, -0.5251301, 1.0334612],
                    [0.9998937, 0.2674329, 1.4952488, -0.1266894],
                    [-0.75109863, -1.0622547, 0.18970045, -0.31459093],
                ],
                [
                    [-0.42349836, -1.3508353, -0.5037276, 1.3468776],
                    [0.93407434, 0.12108929, 1.9921572, -0.16258408],
                    [-0.8472013, -1.1752921, 0.2868601, -0.4079029],
                ],
                [
                    [-0.34679592, -1.1319453, -0.63517433, 1.6759154],
                    [0.88604075, 0.037525356, 2.3656483, -0.261928],
                    [-0.7615606, -1.1759977, 0.42252952, -0.5618478],
                ],
            ]
        ),
    ]
}

