import Foundation

/// Frame times (render plus paint), kept apart for frames drawn while training runs and while not,
/// with the rendering part (state to cells, no terminal) on its own: the rest is ncurses writing the
/// changed cells to the terminal.
struct FrameTimer {
    private(set) var idle: [Double] = []
    private(set) var training: [Double] = []
    private(set) var rendering: [Double] = []

    mutating func record(milliseconds: Double, renderingMilliseconds: Double, whileTraining: Bool) {
        if whileTraining { training.append(milliseconds) } else { idle.append(milliseconds) }
        rendering.append(renderingMilliseconds)
    }

    static func median(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.sorted()[values.count / 2]
    }

    var summary: String {
        func describe(_ values: [Double]) -> String {
            guard let m = Self.median(values) else { return "no frames" }
            let sorted = values.sorted()
            let p95 = sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
            return String(format: "median %.2f ms, p95 %.2f ms, max %.2f ms over %d frames", m, p95, sorted.last ?? 0, values.count)
        }
        return "frame time without training: \(describe(idle)); with training: \(describe(training)); "
            + "rendering alone (all frames): \(describe(rendering))"
    }
}
