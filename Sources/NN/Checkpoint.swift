import Foundation

extension Module {
    /// Writes every parameter to a safetensors file at `url`: one tensor per dotted parameter name
    /// (`token.weight`), stored as `F32` for `Float` modules and `F64` for `Double` ones.
    ///
    /// The file is written atomically (to a temporary file that is then renamed over `url`), so
    /// `url` holds either the previous checkpoint or the complete new one, never a torn file.
    /// PyTorch reads it with `safetensors.torch.load_file` and `model.load_state_dict`.
    ///
    /// ```swift
    /// try model.save(to: URL(fileURLWithPath: "model.safetensors"), metadata: ["step": "1000"])
    /// ```
    ///
    /// - Throws: `TensorError.io` when the file cannot be written.
    public func save(to url: URL, metadata: [String: String] = [:]) throws(TensorError) {
        try SafetensorsFile.write(stateDict(), metadata: metadata, to: url)
    }

    /// Replaces every parameter's value with the tensor of the same dotted name in the safetensors
    /// file at `url` (a checkpoint from ``save(to:metadata:)`` or from PyTorch).
    ///
    /// The file must hold exactly this module's parameter names with their shapes; that is checked
    /// before any value changes, so a failed load leaves the module as it was. Element types are
    /// converted (`F16`, `BF16`, `F64` to `Float`, for instance).
    ///
    /// ```swift
    /// try model.load(from: URL(fileURLWithPath: "model.safetensors"))
    /// ```
    ///
    /// - Throws: `TensorError.io` or `.malformedFile` for an unreadable file, `.invalidArgument`
    ///   naming a tensor the module does not have, `.missingTensor` for a parameter the file lacks,
    ///   `.shapeMismatch` for a tensor of another shape, `.dtypeMismatch` for a non-floating tensor.
    public func load(from url: URL) throws(TensorError) {
        let file = try SafetensorsFile(contentsOf: url)
        let named = namedParameters
        let known = Set(named.map(\.name))
        if let unknown = file.names.first(where: { !known.contains($0) }) {
            throw .invalidArgument("\(url.path) holds '\(unknown)', which is not a parameter of this module")
        }
        for (name, parameter) in named {
            guard let shape = file.shape(of: name) else { throw .missingTensor(name: name) }
            guard shape == parameter.shape else {
                throw .shapeMismatch(expected: parameter.shape, found: shape, context: "loading '\(name)' from \(url.path)")
            }
        }
        var state: [String: Tensor<Scalar>] = [:]
        for (name, _) in named { state[name] = try file.tensor(named: name) }
        try load(stateDict: state)
    }
}
