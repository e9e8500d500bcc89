import Foundation
import Testing
@testable import Tensor

/// One case of golden.json `printing` (PyTorch's `str()` output), copied to Fixtures/printing.json.
private struct PrintingCase: Decodable {
    enum Values {
        case numbers([Double])
        case flags([Bool])
    }

    /// `nil` for the cases drawn from `randn`, whose values are in Fixtures/printing_randn_seed0.json.
    let values: Values?
    let shape: [Int]
    let dtype: String
    let torchString: String
    let torchStringRequiringGradient: String?

    enum CodingKeys: String, CodingKey {
        case values, shape, dtype
        case torchString = "torch_str"
        case torchStringRequiringGradient = "torch_str_requires_grad"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        shape = try container.decode([Int].self, forKey: .shape)
        dtype = try container.decode(String.self, forKey: .dtype)
        torchString = try container.decode(String.self, forKey: .torchString)
        torchStringRequiringGradient = try container.decodeIfPresent(String.self, forKey: .torchStringRequiringGradient)
        if dtype == "torch.bool" {
            values = try container.decodeIfPresent([Bool].self, forKey: .values).map(Values.flags)
        } else {
            values = try container.decodeIfPresent([Double].self, forKey: .values).map(Values.numbers)
        }
    }
}

private struct PrintingFixture: Decodable {
    let cases: [String: PrintingCase]
}

/// Float32 bit patterns of the `randn` draws behind two golden cases (see the file's `source`).
private struct RandomDrawsFixture: Decodable {
    struct Block: Decodable {
        let shape: [Int]
        let bits: [UInt32]
        var scalars: [Float] { bits.map(Float.init(bitPattern:)) }
    }

    let largeSummarized2DRows: Block
    let large3D: Block

    enum CodingKeys: String, CodingKey {
        case largeSummarized2DRows = "large_summarized_2d_rows"
        case large3D = "large_3d"
    }
}

private func loadFixture<Fixture: Decodable>(_ name: String, as type: Fixture.Type) throws -> Fixture {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "json"))
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
}

/// The description and the description with a requires-grad suffix of golden case `name`.
private func describeGoldenCase(_ name: String) throws -> (plain: String, requiringGradient: String, golden: PrintingCase) {
    let golden = try #require(try loadFixture("printing", as: PrintingFixture.self).cases[name])
    func describe<Scalar>(_ tensor: Tensor<Scalar>) -> (String, String, PrintingCase) {
        (tensor.description, tensor.formattedDescription(suffixes: ["requiresGrad: true"]), golden)
    }
    switch (golden.dtype, golden.values) {
    case ("torch.float32", .numbers(let numbers)?):
        return describe(Tensor<Float>(shape: golden.shape, scalars: numbers.map { Float($0) }))
    case ("torch.float64", .numbers(let numbers)?):
        return describe(Tensor<Double>(shape: golden.shape, scalars: numbers))
    case ("torch.int64", .numbers(let numbers)?):
        return describe(Tensor<Int64>(shape: golden.shape, scalars: try numbers.map { try #require(Int64(exactly: $0)) }))
    case ("torch.bool", .flags(let flags)?):
        return describe(Tensor<Bool>(shape: golden.shape, scalars: flags))
    case ("torch.float32", nil):
        let draws = try loadFixture("printing_randn_seed0", as: RandomDrawsFixture.self)
        if name == "large_summarized_2d" {
            // randn(50257, 256)[:8].repeat(200, 1)
            let rows = draws.largeSummarized2DRows.scalars
            return describe(Tensor<Float>(shape: golden.shape, scalars: Array((0..<200).map { _ in rows }.joined())))
        }
        #expect(draws.large3D.shape == golden.shape)
        return describe(Tensor<Float>(shape: golden.shape, scalars: draws.large3D.scalars))
    default:
        throw UnexpectedGoldenCase(name: name, dtype: golden.dtype)
    }
}

private struct UnexpectedGoldenCase: Error {
    let name: String
    let dtype: String
}

/// PyTorch's suffixes in this package's spelling. `requiresGrad: true` is exactly as long as
/// `requires_grad=True`, and the dtype and size suffixes sit on short lines, so the line breaks
/// of the golden texts stay valid.
private func swiftSpelling(of torchText: String) -> String {
    torchText
        .replacingOccurrences(of: "requires_grad=True", with: "requiresGrad: true")
        .replacingOccurrences(of: "dtype=torch.float64", with: "dtype: Double")
        .replacingOccurrences(of: "size=(0, 3)", with: "shape: [0, 3]")
}

@Suite struct PrintingTests {
    static let goldenCaseNames = [
        "seed_table_6x3", "vector_small", "ints", "integral_floats", "wide_range_sci",
        "large_summarized_2d", "large_3d", "scalar", "empty", "float64", "bool",
    ]
    static let goldenCasesRequiringGradient = goldenCaseNames.filter { $0 != "ints" && $0 != "bool" }

    @Test func fixtureHoldsEveryGoldenCase() throws {
        let fixture = try loadFixture("printing", as: PrintingFixture.self)
        #expect(Set(fixture.cases.keys) == Set(Self.goldenCaseNames))
    }

    // golden.json printing.*.torch_str
    @Test(arguments: goldenCaseNames)
    func descriptionMatchesTorch(caseName: String) throws {
        let (plain, _, golden) = try describeGoldenCase(caseName)
        #expect(plain == swiftSpelling(of: golden.torchString))
    }

    // golden.json printing.*.torch_str_requires_grad: placement and wrapping of a trailing suffix
    @Test(arguments: goldenCasesRequiringGradient)
    func requiresGradSuffixIsPlacedAsTorchPlacesIt(caseName: String) throws {
        let (_, requiringGradient, golden) = try describeGoldenCase(caseName)
        let expected = try #require(golden.torchStringRequiringGradient)
        #expect(requiringGradient == swiftSpelling(of: expected))
    }

    @Test func seedTableStringIsTheDocumentedOne() {
        // golden.json printing.seed_table_6x3 (first row), values rounded to four decimals
        let row = Tensor<Float>([0.3373701870441437, -0.1777772158384323, -0.16895627975463867])
        #expect(row.description == "tensor([ 0.3374, -0.1778, -0.1690])")
    }

    // The cases below were derived by hand from the rules of torch/_tensor_str.py.

    @Test func zeroDimensionalTensorsPrintABareNumber() {
        #expect(Tensor<Float>(scalar: 1.5).description == "tensor(1.5000)")
        #expect(Tensor<Float>(scalar: 2).description == "tensor(2.)")
        #expect(Tensor<Float>(scalar: 1e-5).description == "tensor(1.0000e-05)")
        #expect(Tensor<Int64>(scalar: -7).description == "tensor(-7)")
        #expect(Tensor<Bool>(scalar: true).description == "tensor(True)")
        #expect(Tensor<Double>(scalar: 0.25).description == "tensor(0.2500, dtype: Double)")
    }

    @Test func emptyTensorsNameTheirShapeUnlessOneDimensionalAndAnyNonFloatDType() {
        #expect(Tensor<Float>([]).description == "tensor([])")
        #expect(Tensor<Float>(shape: [2, 0, 4], scalars: []).description == "tensor([], shape: [2, 0, 4])")
        #expect(Tensor<Int64>([]).description == "tensor([], dtype: Int64)")
        #expect(Tensor<Bool>(shape: [0, 1], scalars: []).description == "tensor([], shape: [0, 1], dtype: Bool)")
        #expect(Tensor<Double>([]).formattedDescription(suffixes: ["requiresGrad: true"])
                == "tensor([], dtype: Double, requiresGrad: true)")
    }

    @Test func booleansAlignToFalse() {
        let mask = Tensor<Bool>(nested: [[true, false, true], [false, false, true]])
        #expect(mask.description == """
            tensor([[ True, False,  True],
                    [False, False,  True]])
            """)
    }

    @Test func negativeIntegersAlignToTheWidestNumber() {
        #expect(Tensor<Int64>([-5, 10, 300]).description == "tensor([ -5,  10, 300])")
        #expect(Tensor<Int32>([-5, 10, 300]).description == "tensor([ -5,  10, 300], dtype: Int32)")
        #expect(Tensor<UInt8>([0, 255]).description == "tensor([  0, 255], dtype: UInt8)")
    }

    @Test func nonFiniteValuesAreNotMeasured() {
        #expect(Tensor<Float>([1.5, .nan, .infinity, -.infinity]).description
                == "tensor([1.5000,    nan,    inf,   -inf])")
        #expect(Tensor<Float>([1, -.nan, -.infinity]).description == "tensor([1., nan, -inf])")
        #expect(Tensor<Float>([.nan, .infinity]).description == "tensor([nan, inf])")
        #expect(Tensor<Double>([1e-5, .nan]).description == "tensor([1.0000e-05,        nan], dtype: Double)")
    }

    @Test func zerosAreNotMeasuredSoNegativeZeroCanStickOut() {
        #expect(Tensor<Float>([-0.0, 0.0]).description == "tensor([-0., 0.])")
        #expect(Tensor<Float>([-0.0, 1.5]).description == "tensor([-0.0000, 1.5000])")
    }

    @Test func wideRangesUseScientificNotationEvenForWholeNumbers() {
        #expect(Tensor<Float>([1, 100_000]).description == "tensor([1.0000e+00, 1.0000e+05])")
        #expect(Tensor<Float>([1, 1000]).description == "tensor([   1., 1000.])")
        #expect(Tensor<Double>([2e8, 3e8]).description == "tensor([2.0000e+08, 3.0000e+08], dtype: Double)")
        #expect(Tensor<Float>([0.5, 0.00005]).description == "tensor([5.0000e-01, 5.0000e-05])")
    }

    @Test func fixedNotationRoundsTiesOnTheExactBinaryValueToEven() {
        // 0.03125 and 0.15625 are exact binary ties; 0.1 is slightly above 0.1 in binary.
        #expect(Tensor<Double>([0.03125, 0.15625, 0.1]).description
                == "tensor([0.0312, 0.1562, 0.1000], dtype: Double)")
    }

    @Test func longRowsWrapAtEightyColumnsUnderTheOpeningBracket() {
        #expect(Tensor<Float>.arange(30).description == """
            tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,
                    14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,
                    28., 29.])
            """)
        #expect(Tensor<Int64>.arange(40).description == """
            tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,
                    18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
                    36, 37, 38, 39])
            """)
    }

    @Test func threeDimensionalBlocksAreSeparatedByABlankLine() {
        #expect(Tensor<Int64>.arange(8).reshaped([2, 2, 2]).description == """
            tensor([[[0, 1],
                     [2, 3]],

                    [[4, 5],
                     [6, 7]]])
            """)
    }

    @Test func viewsPrintTheirLogicalOrder() {
        let matrix = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).transposed()
        #expect(matrix.description == """
            tensor([[1., 4.],
                    [2., 5.],
                    [3., 6.]])
            """)
    }

    @Test func moreThanAThousandElementsAreSummarizedWithEdgeItems() {
        #expect(Tensor<Float>.arange(1000).description.contains("...") == false)
        #expect(Tensor<Float>.arange(1001).description == "tensor([   0.,    1.,    2.,  ...,  998.,  999., 1000.])")
    }

    @Test func hiddenValuesDoNotInfluenceTheFormat() {
        var values = Tensor<Float>.ones([2000])
        values[element: [1000]] = 0.000_01
        #expect(values.description == "tensor([1., 1., 1.,  ..., 1., 1., 1.])")
    }

    @Test func summaryReadsOnlyTheShownElements() {
        // Ten billion logical elements over one stored value: only 36 are read.
        let huge = Tensor<Float>.full([1, 1], value: 1).expanded(to: [100_000, 100_000])
        #expect(huge.description == """
            tensor([[1., 1., 1.,  ..., 1., 1., 1.],
                    [1., 1., 1.,  ..., 1., 1., 1.],
                    [1., 1., 1.,  ..., 1., 1., 1.],
                    ...,
                    [1., 1., 1.,  ..., 1., 1., 1.],
                    [1., 1., 1.,  ..., 1., 1., 1.],
                    [1., 1., 1.,  ..., 1., 1., 1.]])
            """)
    }

    @Test func suffixThatWouldPassColumnEightyMovesToItsOwnLine() {
        let row = Tensor<Double>([-1.1258, -1.1524, -0.2506, -0.4339, 0.8487, 0.6920, -0.3160, -2.1152])
        #expect(row.formattedDescription(suffixes: ["requiresGrad: true"]) == """
            tensor([-1.1258, -1.1524, -0.2506, -0.4339,  0.8487,  0.6920, -0.3160, -2.1152],
                   dtype: Double, requiresGrad: true)
            """)
    }

    @Test func extraSuffixesFollowInTheGivenOrder() {
        let vector = Tensor<Float>([0.5, -0.2])
        #expect(vector.formattedDescription(suffixes: ["requiresGrad: true", "gradFunction: EmbeddingBackward"])
                == "tensor([ 0.5000, -0.2000], requiresGrad: true, gradFunction: EmbeddingBackward)")
        #expect(vector.formattedDescription(suffixes: []) == vector.description)
    }
}
