import ExplorerCore
import LetterData
import XCTest

/// Class centres: the mean test code of each class, `g` and a letter putting the cursor there (in a
/// slice of a larger space too), and the side pane's distances from the cursor to each centre.
final class ClassCentresTests: XCTestCase {
    private static let test = SyntheticLetters.makeImageSet(count: 104, seed: 3)

    func testCentresAreTheMeansAndDistancesAreSorted() {
        let centres = ClassCentres(codes: [0, 0, 2, 2, 10, 0, 4, 0], labels: [1, 1, 2, 2], dimension: 2)
        XCTAssertEqual(centres.centre(of: 1), [1, 1])
        XCTAssertEqual(centres.centre(of: 2), [7, 0])
        XCTAssertNil(centres.centre(of: 3))
        let distances = centres.distances(from: [6, 0])
        XCTAssertEqual(distances.map(\.label), [2, 1])
        XCTAssertEqual(distances[0].distance, 1, accuracy: 1e-6)
        XCTAssertEqual(distances[1].distance, (25 + 1 as Float).squareRoot(), accuracy: 1e-5)
    }

    func testGThenALetterAsksForTheCentreAndAnythingElseSaysWhy() {
        let data = ExplorerData(test: Self.test, reference: Self.test, classNames: LabelledDataset.letterClassNames, name: "t")
        var state = ExplorerState(catalog: data.catalog, latentDim: 2)
        guard case .notice = state.apply(.character("g")) else { return XCTFail("g explains itself") }
        XCTAssertTrue(state.awaitsClassCentre)
        XCTAssertEqual(state.apply(.character("c")), .goToClassCentre(label: 3))
        XCTAssertFalse(state.awaitsClassCentre)
        _ = state.apply(.character("g"))
        XCTAssertEqual(state.apply(.escape), .none, "Esc after g stays")
        XCTAssertFalse(state.awaitsClassCentre)
        _ = state.apply(.character("g"))
        XCTAssertEqual(state.apply(.character("#")), .notice("no class '#': g and a class's key go to its centre"))
    }

    /// In a 16-D space the cursor's full code becomes the centre (the slice is anchored there), and the
    /// side pane names that class first, at distance 0 (on a terminal tall enough to leave it a row
    /// below the anchor's values, which come first).
    func testTheCursorLandsOnTheCentreAndTheSidePaneSaysHowFar() throws {
        let view = ModelView(model: TestModels.mlp(latentDim: 16), test: Self.test, reference: SyntheticLetters.makeImageSet(count: 52, seed: 4))
        let data = ExplorerData(test: Self.test, reference: view.reference, classNames: LabelledDataset.letterClassNames, name: "t")
        let controller = ExplorerController(view: view, catalog: data.catalog)
        _ = controller.handle(.resize(width: 120, height: 50))
        _ = controller.handle(.key(.character("g")))
        _ = controller.handle(.key(.character("e")))
        let centre = try XCTUnwrap(view.classCentres.centre(of: 5))
        for (a, b) in zip(controller.state.cursorPoint, centre) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        let renderer = ExplorerRenderer(capabilities: TerminalCapabilities(pixels: .shades, colours: false, unicode: true), title: "test")
        let text = controller.render(renderer, width: 120, height: 50, training: TrainingSession.Status(dataName: "synthetic")).text
        XCTAssertTrue(text.contains("centres: e 0.00"), text)
        XCTAssertTrue(text.contains("the centre of 'e'"), text)
    }
}
