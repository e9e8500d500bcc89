import NN

// Parameters and optimizer state are compared by their bits, not with `==`: `==` takes −0 for +0
// (and a NaN for unequal to itself), so an update that flips the sign of a zero — which PyTorch
// keeps, and which a later step can turn into a different value — would pass unnoticed.
//
// Float and Double give different integer types, so a literal on the other side of `==` takes the
// scalar type of the side computed: `bitPatterns(parameter.value) == bitPatterns([3, 4])`.

/// The bit patterns of `values`, in order.
func bitPatterns(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

/// The bit patterns of `values`, in order.
func bitPatterns(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }

/// The bit patterns of the tensor's scalars, in order.
func bitPatterns(_ tensor: Tensor<Float>) -> [UInt32] { bitPatterns(tensor.scalars) }

/// The bit patterns of the tensor's scalars, in order.
func bitPatterns(_ tensor: Tensor<Double>) -> [UInt64] { bitPatterns(tensor.scalars) }

/// The bit patterns of the tensor's scalars, or nil without a tensor (an optimizer's state for a
/// parameter it has not stepped).
func bitPatterns(_ tensor: Tensor<Float>?) -> [UInt32]? { tensor.map { bitPatterns($0) } }

/// The bit patterns of each tensor of a state dictionary.
func bitPatterns(_ tensors: [String: Tensor<Float>]) -> [String: [UInt32]] { tensors.mapValues { bitPatterns($0) } }
