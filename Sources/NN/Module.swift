/// A layer or a model: something that owns parameters, perhaps through child modules.
///
/// A conforming type lists its own parameters and its children; everything else — the flat
/// parameter list, dotted names, freezing, training mode, state dictionaries — is provided once
/// here, so layers stay small.
///
/// ```swift
/// final class Bigram: Module {
///     let token = Embedding(vocabularySize: 100, embeddingSize: 100)
///     var namedChildren: [(name: String, module: any Module<Float>)] { [("token", token)] }
/// }
/// Bigram().namedParameters.map(\.name)   // ["token.weight"]
/// ```
public protocol Module<Scalar>: AnyObject {
    /// The element type of the parameters (`Float` or `Double`).
    associatedtype Scalar: FloatingTensorScalar

    /// Parameters held directly by this module, by local name, in declaration order.
    var ownParameters: [(name: String, parameter: Parameter<Scalar>)] { get }
    /// Child modules by local name, in declaration order.
    var namedChildren: [(name: String, module: any Module<Scalar>)] { get }
    /// True while training (dropout active); switched by ``train()`` and ``eval()``. A module that
    /// composes others need not declare it (see the default); one that reads its own mode, as
    /// `Dropout` does, stores it: `var isTraining = true`.
    var isTraining: Bool { get set }
}

extension Module {
    /// No parameters of its own, by default.
    public var ownParameters: [(name: String, parameter: Parameter<Scalar>)] { [] }
    /// No children, by default.
    public var namedChildren: [(name: String, module: any Module<Scalar>)] { [] }

    /// The mode of a module that stores none: training while any child is (always, for a module
    /// without children); setting it sets every child's.
    public var isTraining: Bool {
        get { namedChildren.isEmpty || namedChildren.contains { $0.module.isTraining } }
        set { for (_, child) in namedChildren { child.isTraining = newValue } }
    }

    /// Every parameter with its dotted path (`token.weight`), own parameters first, then each
    /// child's in order.
    public var namedParameters: [(name: String, parameter: Parameter<Scalar>)] {
        var result = ownParameters
        for (childName, child) in namedChildren {
            result += child.namedParameters.map { (name: "\(childName).\($0.name)", parameter: $0.parameter) }
        }
        return result
    }

    /// Every parameter, in the order of ``namedParameters``.
    public var parameters: [Parameter<Scalar>] { namedParameters.map(\.parameter) }

    /// Stops gradients to every parameter: backward leaves their `grad` nil and optimizers skip them.
    public func freeze() { for parameter in parameters { parameter.requiresGrad = false } }

    /// Lets gradients reach every parameter again.
    public func unfreeze() { for parameter in parameters { parameter.requiresGrad = true } }

    /// Clears every parameter's gradient, PyTorch's `model.zero_grad()` (an optimizer's
    /// `zeroGrad()` clears the same gradients for the parameters it holds).
    ///
    /// ```swift
    /// model.zeroGrad()
    /// ```
    public func zeroGrad() { for parameter in parameters { parameter.zeroGrad() } }

    /// Freezes the parameters with the given dotted names; an unknown name throws and changes nothing.
    public func freeze(names: [String]) throws(TensorError) { try setRequiresGrad(false, names: names) }

    /// Unfreezes the parameters with the given dotted names; an unknown name throws and changes nothing.
    public func unfreeze(names: [String]) throws(TensorError) { try setRequiresGrad(true, names: names) }

    private func setRequiresGrad(_ value: Bool, names: [String]) throws(TensorError) {
        let byName = Dictionary(namedParameters.map { ($0.name, $0.parameter) }, uniquingKeysWith: { first, _ in first })
        for name in names where byName[name] == nil {
            throw .invalidArgument("no parameter named '\(name)'; known: \(byName.keys.sorted().joined(separator: ", "))")
        }
        for name in names { byName[name]?.requiresGrad = value }
    }

    /// Switches this module and its children to training mode.
    public func train() { setTraining(true) }

    /// Switches this module and its children to evaluation mode (dropout off).
    public func eval() { setTraining(false) }

    private func setTraining(_ value: Bool) {
        isTraining = value
        for (_, child) in namedChildren { child.setTrainingRecursively(value) }
    }

    fileprivate func setTrainingRecursively(_ value: Bool) { setTraining(value) }

    /// Every parameter's value by dotted name.
    public func stateDict() -> [String: Tensor<Scalar>] {
        Dictionary(namedParameters.map { ($0.name, $0.parameter.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// Replaces parameter values from `state`, PyTorch's `load_state_dict`. Strict (the default),
    /// every parameter must be present and no unknown names may appear; not strict, parameters
    /// missing from `state` keep their values and unknown names are skipped, and both lists come
    /// back (PyTorch's `missing_keys` and `unexpected_keys`). Either way every tensor that is loaded
    /// must have its parameter's exact shape, and everything is checked before anything changes.
    ///
    /// ```swift
    /// let skipped = try model.load(stateDict: pretrained, strict: false)
    /// skipped.missing      // ["head.bias"]: kept as initialised
    /// ```
    @discardableResult
    public func load(stateDict state: [String: Tensor<Scalar>], strict: Bool = true) throws(TensorError) -> StateDictKeys {
        let named = namedParameters
        let known = Set(named.map(\.name))
        let unexpected = state.keys.sorted().filter { !known.contains($0) }
        let missing = named.map(\.name).filter { state[$0] == nil }
        if strict, let unknown = unexpected.first {
            throw .invalidArgument("state dictionary has unknown parameter '\(unknown)'")
        }
        if strict, let absent = missing.first { throw .missingTensor(name: absent) }
        for (name, parameter) in named {
            guard let tensor = state[name] else { continue }
            guard tensor.shape == parameter.value.shape else {
                throw .shapeMismatch(expected: parameter.value.shape, found: tensor.shape, context: "loading '\(name)'")
            }
        }
        for (name, parameter) in named { if let tensor = state[name] { parameter.value = tensor } }
        return StateDictKeys(missing: missing, unexpected: unexpected)
    }
}

/// The names a non-strict ``Module/load(stateDict:strict:)`` did not match: parameters of the
/// module that the state lacked (they kept their values) and names in the state that the module
/// has no parameter for (they were skipped). PyTorch's `missing_keys` and `unexpected_keys`.
public struct StateDictKeys: Sendable, Equatable {
    /// Parameters absent from the state, in the order of ``Module/namedParameters``.
    public let missing: [String]
    /// Names in the state that are not parameters of the module, sorted.
    public let unexpected: [String]
}
