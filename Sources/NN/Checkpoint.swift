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
    /// Strict (the default), the file must hold exactly this module's parameter names with their
    /// shapes; with `strict: false` (part of a larger checkpoint, PyTorch's `strict=False`) the
    /// names it lacks keep their values and the names it has beyond them are skipped, both listed in
    /// the result. Shapes are checked either way, before any value changes, so a failed load leaves
    /// the module as it was. Element types are converted (`F16`, `BF16`, `F64` to `Float`, for
    /// instance); a tensor stored as the parameter's type shares the file's mapped pages until
    /// written.
    ///
    /// ```swift
    /// try model.load(from: URL(fileURLWithPath: "model.safetensors"))
    /// let skipped = try model.load(from: url, strict: false)   // skipped.unexpected: the other tensors
    /// ```
    ///
    /// - Throws: `TensorError.io` or `.malformedFile` for an unreadable file, `.invalidArgument`
    ///   naming a tensor the module does not have, `.missingTensor` for a parameter the file lacks,
    ///   `.shapeMismatch` for a tensor of another shape, `.dtypeMismatch` for a non-floating tensor.
    @discardableResult
    public func load(from url: URL, strict: Bool = true) throws(TensorError) -> StateDictKeys {
        let file = try SafetensorsFile(contentsOf: url)
        let named = namedParameters
        let known = Set(named.map(\.name))
        let unexpected = file.names.filter { !known.contains($0) }
        if strict, let unknown = unexpected.first {
            throw .invalidArgument("\(url.path) holds '\(unknown)', which is not a parameter of this module")
        }
        // Shapes are checked from the header before any tensor is read or converted.
        var present: [String] = []
        for (name, parameter) in named {
            guard let shape = file.shape(of: name) else {
                if strict { throw .missingTensor(name: name) }
                continue
            }
            guard shape == parameter.shape else {
                throw .shapeMismatch(expected: parameter.shape, found: shape, context: "loading '\(name)' from \(url.path)")
            }
            present.append(name)
        }
        var state: [String: Tensor<Scalar>] = [:]
        for name in present { state[name] = try file.tensor(named: name) }
        let loaded = try load(stateDict: state, strict: strict)
        return StateDictKeys(missing: loaded.missing, unexpected: unexpected)
    }
}
