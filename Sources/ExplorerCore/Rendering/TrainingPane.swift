import Foundation
import VAE

/// The training panel: phase, epoch progress bar, speed, losses and a sparkline of the running loss.
struct TrainingPane {
    let status: TrainingSession.Status
    let capabilities: TerminalCapabilities

    static let sparks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let asciiSparks: [Character] = Array("_.-=+*#@")

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        buffer.fill(rect)
        let titleStyle = capabilities.colours ? CellStyle(foreground: Palette.accent, bold: true) : CellStyle(bold: true)
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
        lines.append(losses.joined(separator: "   "))
        for (offset, line) in lines.enumerated() where offset < inside.height {
            buffer.put(line, x: inside.x + 1, y: inside.y + offset, style: offset == 0 ? CellStyle(bold: true) : .plain, limit: inside.width - 1)
        }
        // The curves only when the panel has its full height (it shrinks to a status line beside the strip).
        guard inside.height >= 5 else { return }
        drawCurve("loss", status.lossCurve, into: &buffer, x: inside.x + 1, y: inside.y + 3, width: inside.width - 2)
        drawCurve("val ", validated.map(\.loss.total), into: &buffer, x: inside.x + 1, y: inside.y + 4, width: inside.width - 2)
    }

    /// A labelled sparkline of `values` (resampled to the width), with its range.
    private func drawCurve(_ label: String, _ values: [Double], into buffer: inout CellBuffer, x: Int, y: Int, width: Int) {
        guard values.count >= 2, width > 30 else { return }
        let low = values.min()!, high = values.max()!
        let range = String(format: " %.1f…%.1f", high, low)
        let plotWidth = width - label.count - 1 - range.count
        guard plotWidth > 4 else { return }
        let ramp = capabilities.pixels == .ascii ? Self.asciiSparks : Self.sparks
        let samples = (0 ..< plotWidth).map { i -> Double in
            values[min(values.count - 1, i * values.count / plotWidth)]
        }
        let spark = String(samples.map { v -> Character in
            let t = high > low ? (v - low) / (high - low) : 0.5
            return ramp[Int((Float(t).unitClamped * Float(ramp.count - 1)).rounded())]
        })
        buffer.put(label, x: x, y: y, style: capabilities.colours ? CellStyle(foreground: Palette.muted) : .plain)
        buffer.put(spark, x: x + label.count + 1, y: y, style: capabilities.colours ? CellStyle(foreground: Palette.accent) : .plain)
        buffer.put(range, x: x + label.count + 1 + plotWidth, y: y, style: capabilities.colours ? CellStyle(foreground: Palette.muted) : .plain)
    }
}
