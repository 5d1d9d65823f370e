@testable import ExplorerCore
import LetterData
import VAE
import XCTest

/// Every width from 80 to 250 columns, at 24, 40 and 60 rows: the title bar, the panes' titles, the side
/// pane, the training line and the status line never show a word cut without "…". A word on screen
/// must be one of the words the same text has when nothing is short of room (rendered very wide), or
/// end in "…".
final class TextCutSweepTests: XCTestCase {
    private static let test = SyntheticLetters.makeImageSet(count: 104, seed: 3)
    private let capabilities = TerminalCapabilities(pixels: .shades, colours: false)
    private let titleFields = ["mlp 784-96-16-96-784", "letters-16d.safetensors",
                               "trained on synthetic-letters train 88800 + emnist-letters (idx) in emnist-letters-partial train 1000, 30 epochs",
                               "test letters: synthetic letters"]

    private func makeController() -> ExplorerController {
        let view = ModelView(model: TestModels.mlp(latentDim: 16), test: Self.test, reference: SyntheticLetters.makeImageSet(count: 52, seed: 4))
        let data = ExplorerData(test: Self.test, reference: view.reference, classNames: LabelledDataset.letterClassNames, name: "t")
        let controller = ExplorerController(view: view, catalog: data.catalog,
                                            message: "The other 14 dimensions are held at letter 'e' #4; 0 resets them and returns to the origin")
        _ = controller.handle(.resize(width: 120, height: 40))
        // Anchored at a browsed letter (the side pane lists the hidden dimensions), point A marked, the strip open.
        for key: Key in [.character("b"), .character("e"), .enter, .character("b"), .character("M"), .tab, .character("i")] {
            _ = controller.handle(.key(key))
        }
        return controller
    }

    /// A conditional VAE's style plane of 'e', with the scatter (its note on overlapping classes) and a
    /// word kept on the word line.
    private func makeStyleController() -> ExplorerController {
        let view = ModelView(model: VAEModel(configuration: ModelConfiguration.cvae(hiddenSize: 16), seed: 1), test: Self.test,
                             reference: SyntheticLetters.makeImageSet(count: 52, seed: 4))
        let data = ExplorerData(test: Self.test, reference: view.reference, classNames: LabelledDataset.letterClassNames, name: "t")
        let controller = ExplorerController(view: view, catalog: data.catalog)
        _ = controller.handle(.resize(width: 120, height: 40))
        for key: Key in [.character("'"), .character("e"), .character("o"), .character("w")] + "hello world".map({ Key.character($0) })
            + [.enter] {
            _ = controller.handle(.key(key))
        }
        return controller
    }

    private var renderer: ExplorerRenderer {
        ExplorerRenderer(capabilities: capabilities, titleFields: titleFields, importance: [1, 3, 0, 2])
    }

    private func render(_ controller: ExplorerController, width: Int, height: Int) -> CellBuffer {
        _ = controller.handle(.resize(width: width, height: height))
        return controller.render(renderer, width: width, height: height, training: TrainingSession.Status(dataName: "synthetic letters (88800)"))
    }

    private func row(_ buffer: CellBuffer, _ y: Int, from x: Int, width: Int) -> String {
        String((max(0, x) ..< min(buffer.width, x + width)).map { buffer[$0, y].character })
    }

    /// The title in the top edge of a framed pane.
    private func title(_ buffer: CellBuffer, _ rect: Rect) -> String {
        let edge = row(buffer, rect.y, from: rect.x + 3, width: rect.width - 4)
        return String(edge.prefix { $0 != "─" }).trimmingCharacters(in: .whitespaces)
    }

    /// The texts the checks read: title bar, pane titles, side-pane lines, the training and status lines.
    private func texts(_ buffer: CellBuffer, _ layout: Layout) -> [String] {
        var out = [row(buffer, 0, from: 0, width: buffer.width)]
        for rect in [layout.plane, layout.side] + (layout.strip.map { [$0] } ?? []) { out.append(title(buffer, rect)) }
        if layout.training.height == 1 {
            out.append(row(buffer, layout.training.y, from: layout.training.x, width: layout.training.width))
        } else {
            out.append(title(buffer, layout.training))
        }
        let inside = layout.side.interior
        for y in inside.y ..< inside.y + inside.height {
            out.append(row(buffer, y, from: inside.x, width: inside.width))
        }
        out.append(row(buffer, layout.status.y, from: 0, width: buffer.width))
        return out.map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.contains { $0.isLetter } }
    }

    private func words(_ texts: [String]) -> Set<String> {
        Set(texts.flatMap { $0.split(separator: " ").map(String.init) })
    }

    /// The words of every text with room to spare: a very wide screen, and the side pane's panels
    /// drawn 300 columns wide.
    private func vocabulary(_ controller: ExplorerController) throws -> Set<String> {
        let wide = render(controller, width: 1_000, height: 60)
        var all = words(texts(wide, try XCTUnwrap(controller.state.layout(width: 1_000, height: 60))))
        for height in [24, 40, 60] {
            var side = CellBuffer(width: 300, height: height)
            let tiles = FramePreparation.tiles(state: controller.state, view: controller.view,
                                               layout: try XCTUnwrap(controller.state.layout(width: 1_000, height: 60)))
            SidePane(state: controller.state, facts: controller.view, tiles: tiles, capabilities: capabilities)
                .draw(into: &side, rect: Rect(x: 0, y: 0, width: 300, height: height))
            all.formUnion(words((0 ..< height).map { row(side, $0, from: 0, width: 300) }))
        }
        // The captions' shorter forms are chosen whole, not cut.
        all.formUnion(["nearest", "test", "real", "letter"])
        return all
    }

    private func cutWords(in texts: [String], vocabulary: Set<String>) -> [String] {
        texts.flatMap { text in
            text.split(separator: " ").map(String.init).filter { word in
                word.contains { $0.isLetter } && !word.hasSuffix("…") && !vocabulary.contains(word)
            }.map { "'\($0)' in \"\(text)\"" }
        }
    }

    func testNoWordIsCutWithoutAnEllipsisAtAnyWidth() throws {
        for mode in ["plane", "browse", "style plane"] {
            let controller = mode == "style plane" ? makeStyleController() : makeController()
            if mode == "browse" { _ = controller.handle(.key(.tab)) }
            let vocabulary = try vocabulary(controller)
            var failures: [String] = []
            for height in [24, 40, 60] {
                for width in 80 ... 250 {
                    let buffer = render(controller, width: width, height: height)
                    let layout = try XCTUnwrap(controller.state.layout(width: width, height: height))
                    for cut in cutWords(in: texts(buffer, layout), vocabulary: vocabulary) {
                        failures.append("\(mode) \(width)x\(height): \(cut)")
                    }
                }
            }
            XCTAssertTrue(failures.isEmpty, "\(failures.count) cut words, e.g.:\n" + failures.prefix(12).joined(separator: "\n"))
        }
    }

    /// The cases the issue named, each at the size it was seen.
    func testTheNamedCasesAreWhole() throws {
        let controller = makeController()
        let header = row(render(controller, width: 120, height: 40), 0, from: 0, width: 120)
        XCTAssertFalse(header.trimmingCharacters(in: .whitespaces).hasSuffix(" in e"), header)
        let small = render(controller, width: 80, height: 24)
        XCTAssertTrue(small.text.contains("looks like: "), small.text)
        XCTAssertFalse(small.text.contains("in the back\n"), small.text)
        // The anchor list ends with whole items and a separate "…".
        let lines = Format.codeLines([Float](repeating: -0.5, count: 16), dimensions: Array(2 ..< 16), width: 28, lines: 2)
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[1].hasSuffix("  …"), lines[1])
        XCTAssertTrue(lines.allSatisfy { $0.count <= 28 }, "\(lines)")
        // The too-small notice wraps at 60 columns instead of being cut.
        let tiny = ExplorerRenderer(capabilities: capabilities, title: "t")
            .render(width: 60, height: 20, state: ExplorerState(catalog: controller.state.catalog), view: controller.view,
                    training: TrainingSession.Status(dataName: "t"), message: "")
        let notice = tiny.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        XCTAssertEqual(notice.joined(separator: " "), "Terminal too small (60x20): enlarge it to at least 80x24, or press q to quit")
    }
}
