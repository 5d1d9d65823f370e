/// A trainable tensor and its gradient, with the name it has in weight files.
public final class Parameter: @unchecked Sendable {
    /// e.g. "encoder.hidden.weight": the safetensors key.
    public let name: String
    public let value: Matrix
    public let gradient: Matrix

    public init(name: String, rows: Int, columns: Int) {
        self.name = name
        value = Matrix(rows: rows, columns: columns)
        gradient = Matrix(rows: rows, columns: columns)
    }

    /// The PyTorch-style shape: `[rows, columns]`, or `[columns]` for a bias row.
    public var shape: [Int] { value.rows == 1 ? [value.columns] : [value.rows, value.columns] }
}

/// A value copy of named parameters: what crosses threads (training snapshots) and goes to files.
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "shape does not match element count")
        self.shape = shape
        self.values = values
    }
}
