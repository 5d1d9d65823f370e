import Foundation
import Pictures
import VAE

/// The training panel: phase, epoch progress bar, speed, losses and a sparkline of the running loss.
struct TrainingPane {
    let status: TrainingSession.Status
    let capabilities: TerminalCapabilities

    static let sparks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let asciiSparks: [Character] = Array("_.-=+*#@")

    /// A sparkline's vertical span is at least this share of the values' size, and `minimumSpan`
    /// nats: a loss moving from 146.2 to 144.4 is a small ripple, not the full height.
    static let minimumRelativeSpan = 0.02
    static let minimumSpan = 1.0

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        buffer.fill(rect)
        let titleStyle = capabilities.colours ? CellStyle(foreground: Palette.accent, bold: true) : CellStyle(bold: true)
        guard rect.height > 1 else {
            // Idle: one line under the plane, which gets the rows.
            let width = rect.width - 2
            let beta = "β \(VAEObjective.format(status.klWeight)) ({ } halve/double)"
            let line = ["Training idle · t trains this model on \(status.dataName) in the background · \(beta)",
                        "Training idle · t trains on \(status.dataName) · \(beta)",
                        "Training idle · t trains this model on \(status.dataName) in the background",
                        "Training idle · t trains on \(status.dataName)", "t trains on \(status.dataName)"]
                .first { $0.count <= width } ?? "t trains the model"
            buffer.put(line, x: rect.x + 1, y: rect.y, style: titleStyle, limit: width)
            return
        }
        buffer.frame(rect, title: "Training on \(status.dataName)", style: capabilities.colours ? CellStyle(foreground: Palette.muted) : .plain,
                     titleStyle: titleStyle)
        let inside = rect.interior
        var lines: [String] = []
        switch status.phase {
        case .idle: lines.append("idle: press t to train this model in the background")
        case .preparing: lines.append("preparing the training data…")
        case .running, .paused:
            if let p = status.progress {
                let total = status.plan?.epochs ?? p.epoch
                let barWidth = max(10, min(30, inside.width - 50))
                let filled = min(barWidth, barWidth * p.batch / max(1, p.batchesPerEpoch))
                let bar = String(repeating: "=", count: filled) + String(repeating: ".", count: barWidth - filled)
                let state = status.phase == .paused ? "  PAUSED (t resumes)" : String(format: "  ETA %.0fs", p.secondsRemaining)
                lines.append("epoch \(p.epoch)/\(total) [\(bar)] \(Int(p.samplesPerSecond)) samples/s" + state)
            } else {
                lines.append(status.phase == .paused ? "paused (t resumes)" : "starting…")
            }
        case .finished(let message): lines.append(message + " (t trains again)")
        }
        var losses = ["β \(VAEObjective.format(status.klWeight)) ({ } halve/double)"]
        if let p = status.progress { losses.append(String(format: "loss %.2f", p.runningLoss)) }
        let validated = status.epochs.compactMap { epoch in epoch.validation.map { (epoch: epoch.epoch, loss: $0) } }
        if let last = validated.last {
            losses.append(String(format: "val %.2f (rec %.1f + kl %.1f)", last.loss.total, last.loss.reconstruction, last.loss.kl))
            if let best = validated.min(by: { $0.loss.total < $1.loss.total }) {
                losses.append(String(format: "best %.2f @ epoch %d", best.loss.total, best.epoch))
            }
        }
        // Where the line is short of room, the validation loss stays, then the best epoch, then the running loss.
        let importance = losses.count == 3 ? [1, 2, 0] : Array(losses.indices)
        lines.append(TextFit.join(losses, separator: "   ", width: inside.width - 1, importance: importance))
        for (offset, line) in lines.enumerated() where offset < inside.height {
            buffer.put(line, x: inside.x + 1, y: inside.y + offset, style: offset == 0 ? CellStyle(bold: true) : .plain, limit: inside.width - 1)
        }
        // The curves only when the panel has its full height (it shrinks to a status line beside the strip).
        guard inside.height >= 5 else { return }
        drawCurve("loss", status.lossCurve, into: &buffer, x: inside.x + 1, y: inside.y + 3, width: inside.width - 2)
        drawCurve("val ", validated.map(\.loss.total), into: &buffer, x: inside.x + 1, y: inside.y + 4, width: inside.width - 2)
    }

    /// A labelled sparkline of `values`, one character per value (the newest at the right when there
    /// are more values than columns), with the span it shows: at least `minimumSpan` and
    /// `minimumRelativeSpan` of the values, centred on them.
    private func drawCurve(_ label: String, _ values: [Double], into buffer: inout CellBuffer, x: Int, y: Int, width: Int) {
        guard !values.isEmpty, width > 30 else { return }
        let (low, high) = Self.span(of: values)
        let range = String(format: " %.1f…%.1f", high, low)
        let plotWidth = width - label.count - 1 - range.count
        guard plotWidth > 4 else { return }
        let ramp = capabilities.pixels == .ascii ? Self.asciiSparks : Self.sparks
        let samples = values.count <= plotWidth ? values
            : (0 ..< plotWidth).map { i in values[min(values.count - 1, i * values.count / plotWidth)] }
        let spark = String(samples.map { v -> Character in
            let t = high > low ? (v - low) / (high - low) : 0.5
            return ramp[Int((Float(t).unitClamped * Float(ramp.count - 1)).rounded())]
        })
        buffer.put(label, x: x, y: y, style: capabilities.colours ? CellStyle(foreground: Palette.muted) : .plain)
        buffer.put(spark, x: x + label.count + 1, y: y, style: capabilities.colours ? CellStyle(foreground: Palette.accent) : .plain)
        buffer.put(range, x: x + label.count + 1 + plotWidth, y: y, style: capabilities.colours ? CellStyle(foreground: Palette.muted) : .plain)
    }

    /// The bottom and top of a sparkline of `values`.
    static func span(of values: [Double]) -> (low: Double, high: Double) {
        let low = values.min()!, high = values.max()!
        let mean = values.reduce(0, +) / Double(values.count)
        let span = max(high - low, minimumSpan, minimumRelativeSpan * abs(mean))
        let middle = (low + high) / 2
        return (middle - span / 2, middle + span / 2)
    }
}
