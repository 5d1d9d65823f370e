/// A row-major Float matrix in one 64-byte-aligned buffer, sized once and reused across steps.
///
/// `rows` may shrink below `capacity` (the last mini-batch of an epoch is smaller) without
/// reallocating, so the training loop allocates nothing. The class is a reference so that layers,
/// workspaces and the optimizer can share buffers; it is not thread-safe by itself: each thread
/// works on its own matrices, and snapshots cross threads as value copies (`Tensor`).
public final class Matrix {
    public let capacity: Int
    public let columns: Int
    /// Rows in use, at most `capacity`.
    public var rows: Int {
        didSet { precondition(rows >= 0 && rows <= capacity, "rows beyond capacity") }
    }
    public let storage: UnsafeMutablePointer<Float>

    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns > 0)
        capacity = rows
        self.rows = rows
        self.columns = columns
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, rows * columns) * 4, alignment: 64)
        storage = raw.bindMemory(to: Float.self, capacity: max(1, rows * columns))
        storage.initialize(repeating: 0, count: max(1, rows * columns))
    }

    public convenience init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "values must fill the matrix")
        self.init(rows: rows, columns: columns)
        values.withUnsafeBufferPointer { storage.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { storage.deallocate() }

    /// Elements in use: `rows * columns`.
    public var count: Int { rows * columns }

    public subscript(row: Int, column: Int) -> Float {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// The elements in use, copied out.
    public var values: [Float] { Array(UnsafeBufferPointer(start: storage, count: count)) }

    public func fill(_ value: Float) { storage.update(repeating: value, count: count) }

    public func copy(from other: Matrix) {
        precondition(other.count <= capacity * columns)
        rows = other.rows
        storage.update(from: other.storage, count: other.count)
    }

    public func assign(_ values: [Float]) {
        precondition(values.count == count, "values must fill the matrix")
        values.withUnsafeBufferPointer { storage.update(from: $0.baseAddress!, count: values.count) }
    }

    /// Rows of [a, b]: row r is a's row r followed by b's (`columns` = a's + b's), e.g. an image and
    /// its one-hot class for a conditional encoder.
    public func joinColumns(_ a: Matrix, _ b: Matrix) {
        precondition(a.rows == b.rows && a.columns + b.columns == columns, "joined widths must add up")
        rows = a.rows
        for r in 0 ..< rows {
            (storage + r * columns).update(from: a.storage + r * a.columns, count: a.columns)
            (storage + r * columns + a.columns).update(from: b.storage + r * b.columns, count: b.columns)
        }
    }

    /// The contiguous runs of a block (rows, columns) of this row-major matrix, as (offset of the
    /// first element, elements): the whole block as one run when it spans every column, else one run a
    /// row, top to bottom. For element-wise passes over a thread's block of a product.
    func forEachRun(of block: (rows: Range<Int>, columns: Range<Int>), _ body: (_ offset: Int, _ count: Int) -> Void) {
        let (rows, columns) = block
        guard !rows.isEmpty, !columns.isEmpty else { return }
        if columns.count == self.columns { return body(rows.lowerBound * self.columns, rows.count * self.columns) }
        for row in rows { body(row * self.columns + columns.lowerBound, columns.count) }
    }

    /// The first `columns` of each row of `wider` (the inverse of `joinColumns` for its left part).
    public func copyColumns(of wider: Matrix) {
        precondition(wider.columns >= columns, "the source must be at least as wide")
        rows = wider.rows
        for r in 0 ..< rows { (storage + r * columns).update(from: wider.storage + r * wider.columns, count: columns) }
    }
}
