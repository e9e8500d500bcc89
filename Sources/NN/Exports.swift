// `import NN` is all a user writes: it brings Autograd and Tensor.
@_exported import Autograd
