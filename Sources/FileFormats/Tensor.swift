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
