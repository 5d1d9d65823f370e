@testable import ExplorerCore
import LetterData
import XCTest

/// What the views of higher-dimensional spaces draw, read back from rendered frames.
final class LatentViewsRenderingTests: XCTestCase {
    private static let test = SyntheticLetters.makeImageSet(count: 104, seed: 3)

    private func makeController(latentDim: Int = 16) -> ExplorerController {
        let view = ModelView(model: TestModels.mlp(latentDim: latentDim), test: Self.test, reference: SyntheticLetters.makeImageSet(count: 52, seed: 4))
        let data = ExplorerData(test: Self.test, reference: view.reference, classNames: LabelledDataset.letterClassNames, name: "t")
        let controller = ExplorerController(view: view, catalog: data.catalog)
        _ = controller.handle(.resize(width: 120, height: 40))
        return controller
    }

    private func frame(_ controller: ExplorerController, colours: Bool = false, unicode: Bool = true,
                       width: Int = 120, height: Int = 40) -> CellBuffer {
        _ = controller.handle(.resize(width: width, height: height))
        let renderer = ExplorerRenderer(capabilities: TerminalCapabilities(pixels: colours ? .halfBlocks256 : .shades, colours: colours, unicode: unicode),
                                        title: "test")
        return controller.render(renderer, width: width, height: height, training: TrainingSession.Status(dataName: "synthetic"))
    }

    private func press(_ controller: ExplorerController, _ keys: Key...) {
        for key in keys { _ = controller.handle(.key(key)) }
    }

    private func line(_ buffer: CellBuffer, _ y: Int) -> String { buffer.text.split(separator: "\n", omittingEmptySubsequences: false)[y].description }

    /// The plane pane's cells (inside its frame), for comparing pictures.
    private func planeCells(_ buffer: CellBuffer) -> [Cell] {
        (2 ..< 29).flatMap { y in (1 ..< 87).map { buffer[$0, y] } }
    }

    /// A short description of a picture that changes when any cell does (asserting on whole cell
    /// arrays would print thousands of cells on failure).
    private func fingerprint(_ cells: [Cell]) -> String {
        var hasher = Hasher()
        for cell in cells { hasher.combine(String(cell.character)); hasher.combine(cell.style) }
        return "\(cells.count) cells, \(Set(cells.map(\.character)).count) characters, hash \(hasher.finalize())"
    }

    func testAxesAreNamedAndXChangesThePicture() {
        let controller = makeController()
        let before = frame(controller, colours: true)
        XCTAssertTrue(line(before, 1).contains("x z1 ") && line(before, 1).contains("y z2 "), line(before, 1))
        XCTAssertTrue(line(before, 1).contains("others at origin"))
        press(controller, .character("x"))
        let after = frame(controller, colours: true)
        XCTAssertTrue(line(after, 1).contains("x z3 "), line(after, 1))
        XCTAssertTrue(after.text.contains("z3 +0.00  z2 +0.00"), "the side pane names the axes")
        XCTAssertNotEqual(fingerprint(planeCells(before)), fingerprint(planeCells(after)), "another dimension decodes other letters")
    }

    func testPCAPlaneTitleShowsExplainedVariance() {
        let controller = makeController()
        press(controller, .character("p"))
        let title = line(frame(controller), 1)
        XCTAssertTrue(title.contains("PCA plane"), title)
        XCTAssertNotNil(title.range(of: #"PC1 \(\d+%\)"#, options: .regularExpression), title)
        XCTAssertNotNil(title.range(of: #"PC2 \(\d+%\)"#, options: .regularExpression), title)
    }

    func testAnchorAtABrowsedLetterIsShownAndZeroResetsIt() {
        let controller = makeController()
        press(controller, .character("b"), .character("e"), .right, .enter)
        let text = frame(controller).text
        XCTAssertTrue(text.contains("others at letter 'e'"), text)
        XCTAssertEqual(controller.state.cursorPoint, controller.view.testCode(controller.state.catalog.entries[4].testIndices[1]),
                       "the cursor decodes the browsed letter's own code")
        press(controller, .character("0"))
        XCTAssertTrue(frame(controller).text.contains("others at origin"))
    }

    func testLegendNamesEveryClassAndBrowsingHighlightsOne() throws {
        let controller = makeController(latentDim: 2)
        press(controller, .character("o"))
        let mono = frame(controller)
        let plane = try XCTUnwrap(controller.state.layout(on: controller.screen)).plane
        let bottom = plane.y + plane.height - 1   // the legend sits on the plane's bottom edge
        XCTAssertTrue(line(mono, bottom).contains(" a b c d e f g h i j k l m n o p q r s t u v w x y z "), line(mono, bottom))
        press(controller, .character("b"), .character("c"))
        let colour = frame(controller, colours: true)
        let legendRow = line(colour, bottom)
        let c = legendRow.distance(from: legendRow.startIndex, to: try XCTUnwrap(legendRow.range(of: " c ")).lowerBound) + 1
        XCTAssertTrue(colour[c, bottom].style.reverse, "the browsed class stands out")
        XCTAssertTrue(colour[c - 2, bottom].style.dim, "the others are dimmed")
        // On the plane, only the browsed class keeps its colour.
        let scatter = planeCells(colour).filter { ("a" ... "z").contains($0.character) }
        XCTAssertFalse(scatter.isEmpty)
        XCTAssertTrue(scatter.allSatisfy { $0.style.dim || $0.style.foreground == Palette.classColour(2) })
    }

    func testInterpolationStripFollowsTheCursor() throws {
        let controller = makeController()
        press(controller, .character("m"), .bigRight, .bigRight, .bigUp, .character("i"))
        let first = frame(controller, colours: true)
        let stripTitle = first.text.split(separator: "\n").first { $0.contains("Interpolation") }
        XCTAssertNotNil(stripTitle, first.text)
        XCTAssertTrue(stripTitle?.contains("Interpolation, 9 steps: A cursor") ?? false, String(stripTitle ?? ""))
        let rows = { (buffer: CellBuffer) in
            let y = buffer.text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("Interpolation") }!
            return (y + 1 ..< y + 5).flatMap { row in (1 ..< 87).map { buffer[$0, row] } }
        }
        press(controller, .bigDown, .bigDown)
        XCTAssertNotEqual(fingerprint(rows(first)), fingerprint(rows(frame(controller, colours: true))), "the strip is redrawn as the cursor moves")
        // At 120x40, 9 letters of 8x4 cells with a gap between each: not a smear.
        let layout120 = try XCTUnwrap(controller.state.layout(on: controller.screen))
        let strip120 = try XCTUnwrap(layout120.strip)
        XCTAssertEqual(strip120.height, 4 + 2)
        let letterRow = (strip120.x + 1 ..< strip120.x + strip120.width - 1).map { first[$0, strip120.y + 2].character }
        let blankRuns = String(letterRow).split(separator: " ", omittingEmptySubsequences: true).count
        XCTAssertGreaterThanOrEqual(blankRuns, 2, "letters separated by gaps: \(String(letterRow))")
        // At 200x60 the letters grow with the terminal, as the plane's do.
        _ = frame(controller, width: 200, height: 60)
        let large = try XCTUnwrap(controller.state.layout(on: controller.screen)?.strip)
        XCTAssertGreaterThanOrEqual(large.height - 2, 8, "larger strip letters on a large terminal")
        // At 80 columns it fits 6 narrower letters, gaps kept, taking its rows from the plane.
        let small = frame(controller, width: 80, height: 24)
        XCTAssertTrue(small.text.contains("Interpolation, 6 steps"), small.text)
        let layout = try XCTUnwrap(controller.state.layout(on: controller.screen))
        XCTAssertEqual(layout.training.height, 1, "idle training keeps to one line")
        XCTAssertEqual(try XCTUnwrap(layout.strip).height, 3 + 2, "6 letters of 6x3 cells and their gaps")
    }

    func testTraversalLettersGrowWithThePaneAndKeepGaps() {
        let controller = makeController(latentDim: 2)
        press(controller, .character("v"))
        let text = frame(controller, width: 200, height: 60).text
        XCTAssertTrue(text.contains("Traversal of the cursor"), text)
        let layout = controller.state.layout(on: controller.screen)!
        let tile = TraversalPane.tile(for: layout.plane.interior, dimensions: 2)
        XCTAssertGreaterThanOrEqual(tile.width, 14, "a 2-D model's two rows use the room of a large pane")
        let steps = TraversalPane.steps(interiorWidth: layout.plane.interior.width, tileWidth: tile.width)
        let used = (steps * (tile.width + TileSize.gap)) * (2 * (tile.height + TileSize.gap))
        // Two rows of 7x4 letters without gaps covered 8% of this pane; 16x8 letters and gaps cover 29%.
        XCTAssertGreaterThan(Double(used) / Double(layout.plane.interior.width * layout.plane.interior.height), 0.25,
                             "the letters fill a good share of the pane")
    }

    func testTraversalRowsFollowTheSpreadOfTheCodes() {
        let controller = makeController()
        press(controller, .character("v"))
        let text = frame(controller).text
        XCTAssertTrue(text.contains("Traversal of the cursor"), text)
        XCTAssertTrue(text.contains("rows 1-6 of 16"), text)
        let firstLabel = text.split(separator: "\n").first { $0.hasPrefix("│ z") }.map(String.init) ?? ""
        XCTAssertTrue(firstLabel.hasPrefix("│ z\(controller.view.dimensionsBySpread[0] + 1) "), firstLabel)
        press(controller, .character("]"))
        XCTAssertTrue(frame(controller).text.contains("rows 2-7 of 16"))
    }

    func testNearestTestLetterAndOneVerdictWithItsVote() throws {
        let controller = makeController(latentDim: 2)
        for reset in [false, true] {
            // At the letter it starts on, and at the origin, where the nearest letter of any class and
            // the verdict used to disagree ("looks like: s" beside a 'j').
            if reset { press(controller, .character("0")) }
            let point = controller.state.cursorPoint
            let vote = try XCTUnwrap(controller.view.classVote(point))
            let hit = try XCTUnwrap(controller.view.nearestTestLetter(point, label: vote.label))
            let name = controller.state.catalog.entries.first { $0.label == vote.label }!.name
            let text = frame(controller).text
            XCTAssertTrue(text.contains("nearest test letter"), "generated test letters are not called real:\n\(text)")
            XCTAssertFalse(text.contains("nearest real"), text)
            XCTAssertTrue(text.contains("looks like: \(name) (\(vote.votes) of 5"), text)
            XCTAssertTrue(text.contains("nearest '\(name)' #\(hit.index), distance"), "the example is of the verdict's class:\n\(text)")
            XCTAssertFalse(text.contains("5-NN class"), "one verdict, not two")
            let any = try XCTUnwrap(controller.view.nearestTestLetter(point))
            if Self.test.labels[any.index] != vote.label {
                XCTAssertTrue(text.contains("nearest of all: '"), "a nearer letter of another class is named:\n\(text)")
            }
        }
    }

    func testWithoutUnicodeEveryCellIsASCII() {
        let controller = makeController()
        press(controller, .character("o"), .character("m"), .right, .character("i"))
        for (width, height) in [(120, 40), (80, 24), (30, 5)] {
            let buffer = frame(controller, unicode: false, width: width, height: height)
            XCTAssertTrue(buffer.cells.allSatisfy { $0.character.isASCII }, buffer.text)
        }
        XCTAssertTrue(frame(controller, unicode: false).text.contains("+- Latent plane"))
    }

    func testKeyLineAlwaysOffersHelpAndBrowseHintsFit() {
        let controller = makeController()
        for width in [80, 100, 120, 200] {
            XCTAssertTrue(line(frame(controller, width: width, height: 24), 23).hasSuffix("? help  q quit" + String(repeating: " ", count: 0))
                || line(frame(controller, width: width, height: 24), 23).contains("? help  q quit"))
        }
        press(controller, .character("b"))
        let browse = frame(controller, width: 80, height: 24)
        XCTAssertTrue(line(browse, 23).contains("? help"), line(browse, 23))
        for hint in ["←/→: next   [ ]: class", "a key: its class  Tab: plane", "Enter: anchor  M: mark as A"] {
            XCTAssertTrue(browse.text.contains(hint), "hint cut off: \(hint)\n\(browse.text)")
        }
    }

    func testTheStatusMessageLastsUntilTheNextKey() {
        let controller = makeController()
        press(controller, .character("i"))
        XCTAssertTrue(controller.message.contains("Mark point A first"))
        press(controller, .right)
        XCTAssertEqual(controller.message, "")
    }

    func testOneDimensionalModel() {
        let controller = makeController(latentDim: 1)
        press(controller, .right, .character("v"))
        let text = frame(controller).text
        XCTAssertTrue(text.contains("rows 1-1 of 1") || text.contains("Traversal of the cursor"), text)
        press(controller, .character("v"), .character("o"))
        XCTAssertTrue(line(frame(controller), 1).contains("x z1 "))
    }

    func testFashionImagesAreNotCalledLetters() {
        let names = [0: "T-shirt/top", 1: "Trouser", 8: "Bag"]
        let images = SyntheticLetters.makeImageSet(count: 6, seed: 2)
        let relabelled = ImageSet(pixels: images.pixels, labels: [0, 1, 8, 0, 1, 8])
        let view = ModelView(model: TestModels.mlp(latentDim: 2), test: relabelled, reference: relabelled)
        let data = ExplorerData(test: relabelled, reference: relabelled, classNames: names, name: "fashion")
        let controller = ExplorerController(view: view, catalog: data.catalog)
        press(controller, .character("o"))
        let plane = frame(controller).text
        XCTAssertTrue(plane.contains("· test images"), plane)
        XCTAssertTrue(plane.contains(" 0 T-shirt/top 1 Trouser 2 Bag "), "the legend pairs symbols with names")
        press(controller, .character("b"), .character("b"))
        let browse = frame(controller).text
        XCTAssertTrue(browse.contains("Browse class 'Bag'"), browse)
        XCTAssertTrue(browse.contains("image 1 of 2"), browse)
        XCTAssertFalse(browse.contains("letter"), browse)
    }

    func testItemNounFollowsTheClasses() {
        let fashion = ClassCatalog(entries: [.init(label: 0, name: "T-shirt/top", testIndices: [0]), .init(label: 8, name: "Bag", testIndices: [1])])
        XCTAssertEqual(fashion.itemNoun, "images")
        XCTAssertEqual(fashion.entries.map(\.symbol), ["0", "1"], "multi-letter names get distinct symbols")
        XCTAssertEqual(ClassCatalog(entries: [.init(label: 1, name: "a", testIndices: [0])]).itemNoun, "letters")
    }
}
