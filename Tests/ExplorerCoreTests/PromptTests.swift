import ExplorerCore
import LetterData
import VAE
import XCTest

/// The questions that keep work from being lost, driven through the controller.
final class PromptTests: XCTestCase {
    private func makeController(unsaved: Bool) -> ExplorerController {
        let test = SyntheticLetters.makeImageSet(count: 52, seed: 3)
        let view = ModelView(model: VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 16), seed: 1), test: test, reference: test)
        let catalog = ClassCatalog(dataset: LabelledDataset(name: "t", train: test, test: test, classNames: LabelledDataset.letterClassNames))
        let controller = ExplorerController(view: view, catalog: catalog)
        _ = controller.handle(.resize(width: 120, height: 40))
        controller.hasUnsavedTraining = unsaved
        return controller
    }

    func testQuitAsksOnlyWithUnsavedTraining() {
        XCTAssertEqual(makeController(unsaved: false).handle(.key(.character("q"))), .quit)
        let controller = makeController(unsaved: true)
        XCTAssertEqual(controller.handle(.key(.character("q"))), .none)
        XCTAssertEqual(controller.state.prompt, .unsavedTraining(interrupted: false))
        XCTAssertTrue(controller.message.hasPrefix("The trained weights are not saved"))
        // Keys that answer nothing change nothing, and the question stays on the status line.
        let cursor = controller.state.cursor
        XCTAssertEqual(controller.handle(.key(.right)), .none)
        XCTAssertEqual(controller.handle(.key(.character("t"))), .none)
        XCTAssertTrue(controller.state.cursor == cursor)
        XCTAssertTrue(controller.message.hasPrefix("The trained weights are not saved"))
        XCTAssertEqual(controller.handle(.key(.escape)), .none, "Esc cancels")
        XCTAssertNil(controller.state.prompt)
        _ = controller.handle(.key(.character("q")))
        XCTAssertEqual(controller.handle(.key(.character("s"))), .save(replacing: false, thenQuit: true))
        _ = controller.handle(.key(.character("q")))
        XCTAssertEqual(controller.handle(.key(.character("d"))), .quit)
    }

    func testReplacingAFileNeedsAYes() {
        let controller = makeController(unsaved: false)
        XCTAssertEqual(controller.handle(.key(.character("s"))), .save(replacing: false, thenQuit: false))
        controller.ask(.replaceFile(path: "m.safetensors", thenQuit: false))
        XCTAssertEqual(controller.message, "m.safetensors exists: replace it? y replaces · n keeps it")
        XCTAssertEqual(controller.handle(.key(.character("n"))), .none)
        XCTAssertTrue(controller.message.hasPrefix("Nothing saved"))
        controller.ask(.replaceFile(path: "m.safetensors", thenQuit: true))
        XCTAssertEqual(controller.handle(.key(.character("y"))), .save(replacing: true, thenQuit: true))
        XCTAssertNil(controller.state.prompt)
    }

    func testCtrlCAsksOnceThenQuits() {
        XCTAssertTrue(makeController(unsaved: false).interrupted(), "nothing to lose: Ctrl-C quits")
        let controller = makeController(unsaved: true)
        XCTAssertFalse(controller.interrupted())
        XCTAssertTrue(controller.message.hasSuffix("(Ctrl-C again quits)"), controller.message)
        XCTAssertTrue(controller.interrupted(), "a second Ctrl-C while asked quits")
        let cancelled = makeController(unsaved: true)
        XCTAssertFalse(cancelled.interrupted())
        _ = cancelled.handle(.key(.character("c")))
        XCTAssertFalse(cancelled.interrupted(), "after cancelling, Ctrl-C asks again")
    }
}
