import ExplorerCore
import Foundation
import LetterData
import Support
import VAE
import XCTest

/// Random key, mouse and resize sequences fed to the explorer core, with frames rendered along the
/// way: nothing may trap, and every frame must have the terminal's size. Seeded, so a failure repeats.
/// `LATENT_EXPLORER_FUZZ_CASES` runs a longer campaign and `LATENT_EXPLORER_FUZZ_SEED` another one
/// (the same variables as the readers' fuzz suites).
final class ExplorerFuzzTests: XCTestCase {
    static let defaultCases = 1_000
    static let seed: UInt64 = 0xF0CC
    static let inputsPerCase = 5 ... 40

    private var cases: Int {
        ProcessInfo.processInfo.environment["LATENT_EXPLORER_FUZZ_CASES"].flatMap(Int.init).map { max($0, 1) } ?? Self.defaultCases
    }

    /// `LATENT_EXPLORER_FUZZ_SEED` starts another sequence (the readers' fuzz suites take it too).
    private var seed: UInt64 {
        ProcessInfo.processInfo.environment["LATENT_EXPLORER_FUZZ_SEED"].flatMap { UInt64($0) } ?? Self.seed
    }

    /// One view per model (MLPs of each latent size, a conv model, and a conditional VAE, whose plane is
    /// a style plane with its word line), shared by the cases (each case gets a fresh controller).
    private func makeViews() -> [ModelView] {
        let configurations = TestModels.latentSizes.map(TestModels.mlpConfiguration) + [TestModels.convConfiguration(latentDim: 16)]
        let models = configurations.map(TestModels.trainedModel) + [VAEModel(configuration: ModelConfiguration.cvae(hiddenSize: 16), seed: 5)]
        return models.map { model in
            ModelView(model: model, test: SyntheticLetters.makeImageSet(count: 78, seed: 9),
                      reference: SyntheticLetters.makeImageSet(count: 52, seed: 10))
        }
    }

    private static let keys: [Key] = [
        .up, .down, .left, .right, .bigUp, .bigDown, .bigLeft, .bigRight, .enter, .tab, .escape,
    ] + "xyp0mivoOb[]+-=_hjklHJKLMIVXYPTStsq?aez9 é<>cdnyY'wNu\u{7F}".map { Key.character($0) }

    func testRandomInputSequencesNeverCrashAndFramesFitTheScreen() {
        var generator = SeededGenerator(seed: seed)
        var frames = 0
        let views = makeViews()
        for number in 0 ..< cases {
            let view = views[Int(generator.next() % UInt64(views.count))]
            let catalog = ClassCatalog(dataset: LabelledDataset(name: "fuzz", train: view.reference, test: view.test,
                                                                classNames: LabelledDataset.letterClassNames))
            let controller = ExplorerController(view: view, catalog: catalog)
            var trace: [String] = []
            var size = randomSize(&generator)
            _ = controller.handle(.resize(width: size.width, height: size.height))
            // Some cases start on a test letter, some hold unsaved training (q then asks a question).
            if generator.next() % 2 == 0 { controller.startOnTightestClass() }
            controller.hasUnsavedTraining = generator.next() % 2 == 0
            let count = Self.inputsPerCase.lowerBound + Int(generator.next() % UInt64(Self.inputsPerCase.count))
            for step in 0 ..< count {
                let input = randomInput(&generator, size: size)
                if case .resize(let width, let height) = input { size = (width, height) }
                trace.append("\(input)")
                if controller.handle(input) == .quit { break }
                checkInvariants(controller.state, case: number, trace: trace)
                if step == count - 1 || generator.next() % 4 == 0 {
                    frames += 1
                    render(controller, size: size, generator: &generator, case: number, trace: trace)
                }
            }
        }
        print("explorer fuzz: \(cases) cases (seed \(seed)), \(frames) frames, 0 crashes")
    }

    private func randomSize(_ generator: inout SeededGenerator) -> (width: Int, height: Int) {
        switch generator.next() % 5 {
        case 0: return (Int(generator.next() % 4), Int(generator.next() % 4))          // down to 0x0 and 1x1
        case 1: return (79 + Int(generator.next() % 3), 23 + Int(generator.next() % 3)) // around the minimum
        case 2: return (120, 40)
        default: return (Int(generator.next() % 220), Int(generator.next() % 70))
        }
    }

    private func randomInput(_ generator: inout SeededGenerator, size: (width: Int, height: Int)) -> Input {
        switch generator.next() % 10 {
        case 0:
            let s = randomSize(&generator)
            return .resize(width: s.width, height: s.height)
        case 1, 2:
            // Presses, the wheel, and draw mode's drags and releases (strokes, also off the canvas).
            let kinds: [MouseEvent.Kind] = [.press, .wheelUp, .wheelDown, .drag, .release, .drag]
            let column = Int(generator.next() % UInt64(size.width + 10)) - 5, row = Int(generator.next() % UInt64(size.height + 10)) - 5
            return .mouse(MouseEvent(kinds[Int(generator.next() % UInt64(kinds.count))], column: column, row: row))
        default:
            return .key(Self.keys[Int(generator.next() % UInt64(Self.keys.count))])
        }
    }

    private func render(_ controller: ExplorerController, size: (width: Int, height: Int), generator: inout SeededGenerator,
                        case number: Int, trace: [String]) {
        let styles: [TerminalCapabilities.PixelStyle] = [.halfBlocks256, .shades, .ascii]
        let capabilities = TerminalCapabilities(pixels: styles[Int(generator.next() % 3)], colours: generator.next() % 2 == 0,
                                                unicode: generator.next() % 4 != 0)
        let frame = controller.render(ExplorerRenderer(capabilities: capabilities, title: "fuzz"), width: size.width, height: size.height,
                                      training: TrainingSession.Status(dataName: "fuzz"))
        guard frame.width == size.width, frame.height == size.height, frame.cells.count == size.width * size.height else {
            return XCTFail("case \(number): a \(frame.width)x\(frame.height) frame for a \(size.width)x\(size.height) screen after \(trace)")
        }
        if !capabilities.unicode && !frame.cells.allSatisfy({ $0.character.isASCII }) {
            XCTFail("case \(number): non-ASCII cells without Unicode after \(trace)")
        }
    }

    private func checkInvariants(_ s: ExplorerState, case number: Int, trace: [String]) {
        let limit = ExplorerState.cursorLimit
        let ok = s.cursor.x.isFinite && s.cursor.y.isFinite && abs(s.cursor.x) <= limit && abs(s.cursor.y) <= limit
            && s.centre.x.isFinite && s.centre.y.isFinite
            && ExplorerState.halfWidthRange.contains(s.halfWidth)
            && (s.catalog.entries.isEmpty || s.catalog.entries.indices.contains(s.browseClass))
            && s.anchor.count == s.latentDim && (s.pointA?.count ?? s.latentDim) == s.latentDim
            && s.cursorPoint.count == s.latentDim && s.cursorPoint.allSatisfy(\.isFinite)
            && (0 ..< s.latentDim).contains(s.traversalScroll)
            && s.xDimension != s.yDimension
            && (0 ..< DrawingCanvas.side).contains(s.drawing.pen.x) && (0 ..< DrawingCanvas.side).contains(s.drawing.pen.y)
            && s.drawing.ink.count == DrawingCanvas.side * DrawingCanvas.side && s.drawing.ink.allSatisfy { (0 ... 1).contains($0) }
        if !ok { XCTFail("case \(number): invariant broken after \(trace): \(s)") }
    }
}
