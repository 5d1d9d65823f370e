/// A set of repeated measurements of one figure, summarised the way the README reports speed: the
/// median, the slowest and fastest, and the spread (max - min) / median.
struct Distribution {
    let values: [Double]

    init(_ values: [Double]) {
        precondition(!values.isEmpty, "a distribution needs at least one value")
        self.values = values.sorted()
    }

    var median: Double {
        let n = values.count
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2
    }

    var minimum: Double { values.first! }
    var maximum: Double { values.last! }
    var spread: Double { (maximum - minimum) / median }
}
