import Support

/// A trainable tensor and its gradient, with the name it has in weight files.
public final class Parameter {
    /// e.g. "encoder.hidden.weight": the safetensors key.
    public let name: String
    /// The PyTorch shape, e.g. `[512, 784]` for a linear weight, `[32, 1, 3, 3]` for a conv kernel,
    /// `[512]` for a bias. The values are stored row-major as a matrix of `shape[0]` rows (one row for
    /// a 1-D tensor) by the product of the remaining dimensions.
    public let shape: [Int]
    public let value: Matrix
    public let gradient: Matrix

    public init(name: String, shape: [Int]) {
        precondition(!shape.isEmpty && shape.allSatisfy { $0 > 0 }, "a parameter needs a non-empty shape")
        self.name = name
        self.shape = shape
        let rows = shape.count == 1 ? 1 : shape[0]
        let columns = shape.count == 1 ? shape[0] : shape.dropFirst().reduce(1, *)
        value = Matrix(rows: rows, columns: columns)
        gradient = Matrix(rows: rows, columns: columns)
    }
}

extension Parameter {
    /// PyTorch's default initialisation of linear and convolution layers (Kaiming-uniform with
    /// a = √5): weight and bias uniform in ±1/√fanIn, drawn in the order given.
    static func initializeUniform(_ parameters: [Parameter], fanIn: Int, using generator: inout SeededGenerator) {
        let bound = 1 / Float(fanIn).squareRoot()
        for p in parameters {
            for i in 0 ..< p.value.count { p.value.storage[i] = (generator.nextUniform() * 2 - 1) * bound }
        }
    }

    /// Overwrites each of `copies` with the values of the parameter of the same place in `originals`:
    /// how a point decoder takes its own snapshot of a network's layers. The two lists must name the
    /// same tensors in the same order.
    static func copyValues(from originals: [Parameter], to copies: [Parameter]) {
        precondition(originals.map(\.name) == copies.map(\.name), "a copy must have the original's tensors, in order")
        for (original, copy) in zip(originals, copies) { copy.value.copy(from: original.value) }
    }
}
