@testable import ExplorerCore
@testable import VAE
import XCTest

/// The training panel: sparklines with a minimum span, one mark per value, and which epoch's weights
/// the explorer holds once a run ends.
final class TrainingPaneTests: XCTestCase {
    private func summary(_ epoch: Int, _ loss: Double) -> EpochSummary {
        EpochSummary(epoch: epoch, trainLoss: loss, validation: LossParts(reconstruction: loss - 6, kl: 6), seconds: 1,
                     samplesPerSecond: 1_000, improved: true)
    }

    func testASparklineSpansAtLeastTwoPercentSoNoiseStaysSmall() {
        let (low, high) = TrainingPane.span(of: [146.2, 144.4, 145.0])
        XCTAssertEqual(high - low, 0.02 * (146.2 + 144.4 + 145.0) / 3, accuracy: 1e-9, "1.8 nats of noise get a 2.9-nat span")
        XCTAssertEqual((low + high) / 2, 145.3, accuracy: 1e-9, "centred on the values")
        let wide = TrainingPane.span(of: [300, 150])
        XCTAssertEqual(wide.low, 150)
        XCTAssertEqual(wide.high, 300, "a real fall keeps its own range")
        XCTAssertEqual(TrainingPane.span(of: [5]).high - TrainingPane.span(of: [5]).low, TrainingPane.minimumSpan)
    }

    func testTheFirstValidationSparklineIsOneMarkNotABar() {
        var status = TrainingSession.Status(dataName: "synthetic letters (2600)")
        status.phase = .running
        status.epochs = [summary(1, 210)]
        status.lossCurve = [230, 226, 221, 218]
        var buffer = CellBuffer(width: 88, height: 7)
        TrainingPane(status: status, capabilities: TerminalCapabilities(pixels: .shades, colours: false))
            .draw(into: &buffer, rect: Rect(x: 0, y: 0, width: 88, height: 7))
        let rows = buffer.text.split(separator: "\n").map(String.init)
        let val = rows.first { $0.contains("val  ") && !$0.contains("(rec") }!
        XCTAssertEqual(val.filter { TrainingPane.sparks.contains($0) }.count, 1, val)
        let loss = rows.first { $0.hasPrefix("│ loss ") && $0.contains("…") }!
        XCTAssertEqual(loss.filter { TrainingPane.sparks.contains($0) }.count, 4, "one mark per value: \(loss)")
        XCTAssertTrue(loss.contains(" 230.0…218.0"), "the range shown: \(loss)")
    }

    func testTheEndOfARunSaysWhichEpochsWeightsAreShown() {
        let outcome = TrainingOutcome(reason: .earlyStopped, epochsRun: 9, bestEpoch: 5,
                                      bestValidation: LossParts(reconstruction: 144.12, kl: 6), history: [])
        XCTAssertEqual(TrainingSession.describe(outcome), "stopped early after 9 epochs; showing epoch 5's weights (best val 150.12)")
        var done = outcome
        done.reason = .completed
        done.epochsRun = 1
        done.bestEpoch = 1
        XCTAssertEqual(TrainingSession.describe(done), "done: 1 epoch; showing epoch 1's weights (best val 150.12)")
    }
}
