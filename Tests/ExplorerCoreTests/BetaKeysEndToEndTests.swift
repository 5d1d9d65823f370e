import Foundation
import XCTest

/// `{` and `}` in the explorer, driven in tmux: the training panel shows β before and while training,
/// and the status line says when the trainer takes it.
final class BetaKeysEndToEndTests: TmuxTestCase {
    func testBracesHalveAndDoubleBetaBeforeAndDuringTraining() throws {
        let weights = try TestModels.weightsFile(latentDim: 2)
        session.start(width: 120, height: 40,
                      arguments: "--weights \(TmuxSession.quoted(weights)) --data synthetic --test-count 260 --train-count 2600 --save-to /dev/null",
                      environment: ["NO_COLOR": "1"])
        session.waitFor("the explorer with β 1") { $0.contains("β 1 ({ } halve/double)") }
        session.keys("}", "}")
        let doubled = session.waitFor("β 4") { $0.contains("β 4 ({ } halve/double)") }
        XCTAssertTrue(doubled.contains("β = 4 for the next training run (t)"), doubled)
        session.keys("t")
        session.waitFor("training to run") { $0.contains("samples/s") }
        session.keys("{")
        let halved = session.waitFor("β 2 while training") { $0.contains("β 2 ({ } halve/double)") }
        XCTAssertTrue(halved.contains("β = 2 from the next batch"), halved)
        // Training left unsaved: q asks, d discards.
        session.keys("q")
        session.waitFor("the question on quitting") { $0.contains("not saved") || $0.contains("unsaved") }
        session.keys("d")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }
}
