import Foundation

extension Tensor {
    /// Reads a NumPy `.npy` file (format 1.0, 2.0 or 3.0) written by `numpy.save`.
    ///
    /// Little-endian `<f2`, `<f4`, `<f8` read into `Float` or `Double`, `<i4` into `Int32` or
    /// `Int64`, `<i8` into `Int64`, `|u1` into `UInt8`, `|b1` into `Bool`. Arrays must be in C
    /// (row-major) order.
    ///
    /// ```swift
    /// // Python: numpy.save("w.npy", numpy.ones((2, 3), dtype=numpy.float32))
    /// let w = try Tensor<Float>(contentsOfNumpyFile: url)   // shape [2, 3]
    /// ```
    ///
    /// - Throws: `TensorError.io` when the file cannot be read, `TensorError.malformedFile` with
    ///   the byte offset when it is not a valid `.npy` file (or is in Fortran order),
    ///   `TensorError.dtypeMismatch` when its element type does not convert to `Scalar`.
    public init(contentsOfNumpyFile url: URL) throws(TensorError) {
        let reader = try FileReader(url: url)
        let preamble = try reader.bytes(0 ..< Swift.min(NumpyHeader.preambleLength, reader.size))
        let headerEnd = try NumpyHeader.headerEnd(preamble: preamble, fileSize: reader.size, path: reader.path)
        let header = try NumpyHeader(validating: reader.bytes(0..<headerEnd), fileSize: reader.size, path: reader.path)
        guard let encoding = header.encoding,
              let tensor = try readTensor(Scalar.self, shape: header.shape, encoding: encoding, from: reader, at: header.dataRange)
        else {
            throw .dtypeMismatch(expected: Scalar.dtype, found: header.descr, context: reader.path)
        }
        self = tensor
    }

    /// Writes the tensor as a NumPy `.npy` file that `numpy.load` reads, byte-identical to what
    /// `numpy.save` writes for the same array (format 1.0, C order, little-endian).
    ///
    /// ```swift
    /// try Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4]).writeNumpy(to: url)
    /// // Python: numpy.load("w.npy") → array([[1., 2.], [3., 4.]], dtype=float32)
    /// ```
    ///
    /// Writing is atomic: `url` shows either its previous contents or the complete new file.
    /// - Throws: `TensorError.io` when the file cannot be written.
    public func writeNumpy(to url: URL) throws(TensorError) {
        // The safetensors entry of the same precision knows how to encode the elements, and its
        // encodings (never bfloat16 here) all have a NumPy spelling.
        let entry = SafetensorsEntry(self)
        guard let descr = NumpyHeader.descr(for: entry.encoding) else {
            preconditionFailure("NumPy has no dtype for \(entry.encoding)")
        }
        let header = NumpyHeader.encoded(descr: descr, shape: shape)
        try writeAtomically(to: url) { (output) throws(TensorError) in
            try output.write(header)
            try entry.writeElements(to: &output)
        }
    }
}
