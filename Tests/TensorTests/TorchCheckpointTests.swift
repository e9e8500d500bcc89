import Foundation
import Testing
import Tensor

/// A checkpoint written by PyTorch itself loads with PyTorch's values.
///
/// Fixtures/torch_embedding.safetensors was written with torch 2.15.0 and safetensors 0.8:
/// ```python
/// torch.manual_seed(123); tok = torch.nn.Embedding(6, 3)
/// save_file({"token.weight": tok.weight.detach(), "half": tok.weight.detach()[:2].half(),
///            "bf16": tok.weight.detach()[:2].bfloat16(), "ids": torch.arange(4)},
///           "torch_embedding.safetensors", metadata={"format": "pt"})
/// ```
@Suite struct TorchCheckpointTests {
    let file: SafetensorsFile

    init() throws {
        let url = try #require(Bundle.module.url(forResource: "torch_embedding", withExtension: "safetensors",
                                                 subdirectory: "Fixtures"))
        file = try SafetensorsFile(contentsOf: url)
    }

    @Test func namesAndMetadata() {
        #expect(file.names == ["bf16", "half", "ids", "token.weight"])
        #expect(file.metadata == ["format": "pt"])
    }

    @Test func float32TableIsTheSeedTable() throws {
        // golden.json: seed_document_example.Embedding_6x3
        let expected: [Float] = [
            0.3373701870441437, -0.1777772158384323, -0.16895627975463867, 0.9177646040916443, 1.5809695720672607,
            1.3010399341583252, 1.275301218032837, -0.20095309615135193, -0.16056378185749054, -0.4014880061149597,
            0.966571569442749, -1.148144006729126, -1.1588678359985352, 0.32547101378440857, -0.6315053701400757,
            -2.839993953704834, -0.7848533391952515, -1.4095724821090698,
        ]
        let table: Tensor<Float> = try file.tensor(named: "token.weight")
        #expect(table.shape == [6, 3])
        #expect(table.scalars == expected)
    }

    @Test func halfAndBFloat16ConvertAsTorchDoes() throws {
        // torch: tok.weight[:2].half().float().tolist() and .bfloat16().float().tolist()
        let half: Tensor<Float> = try file.tensor(named: "half")
        #expect(half.scalars == [0.33740234375, -0.177734375, -0.1689453125, 0.91796875, 1.5810546875, 1.30078125])
        let brain: Tensor<Float> = try file.tensor(named: "bf16")
        #expect(brain.scalars == [0.337890625, -0.177734375, -0.1689453125, 0.91796875, 1.578125, 1.3046875])
    }

    @Test func int64Ids() throws {
        let ids: Tensor<Int64> = try file.tensor(named: "ids")
        #expect(ids.scalars == [0, 1, 2, 3])
    }
}
