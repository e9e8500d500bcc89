// The Autograd module builds on Tensor; importing Autograd brings Tensor too.
@_exported import Tensor
