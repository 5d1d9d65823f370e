@testable import ExplorerCore
import FileFormats
import Foundation
import LetterData
import VAE
import XCTest

/// Draw mode without a terminal: its keys come from the key table, the mouse draws on the canvas and
/// nowhere else, the drawing is read (prepared, encoded, a verdict) when a frame is prepared and never
/// by drawing it, Enter puts the cursor on its code, Esc keeps it, and `S` writes a PNG that never
/// replaces a file of another kind.
final class DrawModeTests: XCTestCase {
    private static let screen = ScreenSize(width: 120, height: 40)
    private static let test = SyntheticLetters.makeImageSet(count: 78, seed: 3)

    private func view(_ configuration: ModelConfiguration) -> ModelView {
        ModelView(model: VAEModel(configuration: configuration, seed: 1), test: Self.test, reference: SyntheticLetters.makeImageSet(count: 52, seed: 4))
    }

    private var catalog: ClassCatalog {
        ExplorerData(test: Self.test, reference: Self.test, classNames: LabelledDataset.letterClassNames, name: "t").catalog
    }

    private func controller(_ configuration: ModelConfiguration = .mlp(hiddenSize: 16)) -> ExplorerController {
        let controller = ExplorerController(view: view(configuration), catalog: catalog)
        _ = controller.handle(.resize(width: Self.screen.width, height: Self.screen.height))
        return controller
    }

    /// A vertical stroke down the middle of the canvas, through SGR-like mouse events on its cells.
    private func drawStroke(_ controller: ExplorerController) throws {
        let canvas = try XCTUnwrap(controller.state.layout(on: Self.screen)?.canvas, "the canvas shows in draw mode")
        let area = CanvasGeometry(pane: canvas).area
        let column = area.x + area.width / 2
        _ = controller.handle(.mouse(MouseEvent(.press, column: column, row: area.y + 2)))
        for row in area.y + 3 ..< area.y + area.height - 2 { _ = controller.handle(.mouse(MouseEvent(.drag, column: column, row: row))) }
        _ = controller.handle(.mouse(MouseEvent(.release, column: column, row: area.y + area.height - 3)))
    }

    func testTheDrawKeysComeFromTheTable() {
        var state = ExplorerState(catalog: catalog, latentDim: 2)
        XCTAssertNil(state.layout(on: Self.screen)?.canvas)
        _ = state.apply(.character("d"), on: Self.screen)
        XCTAssertEqual(state.mode, .draw)
        let layout = try! XCTUnwrap(state.layout(on: Self.screen))
        let canvas = try! XCTUnwrap(layout.canvas)
        XCTAssertEqual(layout.plane.x, canvas.x + canvas.width, "the plane gives the canvas its columns")
        XCTAssertGreaterThanOrEqual(layout.plane.width, CanvasGeometry.planeWidthBeside)
        XCTAssertEqual(CanvasGeometry(pane: canvas).scale, 2, "at 120x40 a pixel is two columns and a row")
        XCTAssertEqual(KeyBindings.command(for: .up, in: KeyContext(mode: .draw)), .movePen(dx: 0, dy: 1))
        XCTAssertEqual(state.apply(.character("u"), on: Self.screen), .notice("Nothing to undo: the canvas is empty"))
        XCTAssertEqual(state.apply(.enter, on: Self.screen), .notice("Draw a letter first: the mouse, or the arrows with the pen down (space)"))
        _ = state.apply(.character(" "), on: Self.screen)
        _ = state.apply(.left, on: Self.screen)
        _ = state.apply(.left, on: Self.screen)
        XCTAssertEqual(state.drawing.strokes.count, 1)
        XCTAssertEqual(state.drawing.strokes[0].count, 3, "the dot where the pen went down and two moves")
        XCTAssertEqual(state.cursor, .origin, "the arrows move the pen, not the cursor")
        XCTAssertEqual(state.apply(.enter, on: Self.screen), .goToDrawing)
        XCTAssertEqual(state.apply(.character("S"), on: Self.screen), .saveDrawing)
        _ = state.apply(.character("u"), on: Self.screen)
        XCTAssertTrue(state.drawing.isEmpty)
        _ = state.apply(.character(" "), on: Self.screen)
        _ = state.apply(.escape, on: Self.screen)
        XCTAssertEqual(state.mode, .plane, "Esc leaves draw mode")
        XCTAssertFalse(state.drawing.isEmpty, "and keeps the drawing")
        XCTAssertEqual(state.apply(.character("q"), on: Self.screen), .quit)
        _ = state.apply(.character("d"), on: Self.screen)
        XCTAssertEqual(state.apply(.character("q"), on: Self.screen), .quit, "q quits from draw mode too")
        _ = state.apply(.character("c"), on: Self.screen)
        XCTAssertTrue(state.drawing.isEmpty)
        XCTAssertEqual(KeyBindings.helpLines(first: .draw).first, "Drawing", "the help starts with the keys of the mode in use")
        XCTAssertEqual(Set(KeyBindings.helpLines(first: .draw)), Set(KeyBindings.helpLines))
    }

    /// At 80x24 the canvas pane is 28 columns inside: its hints wrap between whole items, never cut.
    func testTheCanvasHintsAreNeverCut() {
        let items = ["u undo", "c clear", "Enter: go there", "S save PNG", "Esc: plane"]
        let lines = CanvasPane.pack(items, width: 28)
        XCTAssertEqual(lines, ["u undo  c clear", "Enter: go there  S save PNG", "Esc: plane"])
        XCTAssertEqual(CanvasPane.pack(items, width: 200), [items.joined(separator: "  ")])
    }

    func testALatentSpaceOfMoreThanTwoDimensionsIsDrawnOnItsPCAPlane() {
        let controller = controller(.mlp(hiddenSize: 16, latentDim: 5))
        XCTAssertFalse(controller.state.showsPrincipalPlane)
        _ = controller.handle(.key(.character("d")))
        XCTAssertTrue(controller.state.showsPrincipalPlane, "the drawing's whole code is placed on the PCA plane")
    }

    func testAStrokeIsReadWhenTheFrameIsPreparedAndMarkedOnThePlane() throws {
        let controller = controller()
        _ = controller.handle(.key(.character("d")))
        let renderer = ExplorerRenderer(capabilities: TerminalCapabilities(pixels: .shades, colours: false, unicode: true), title: "t")
        let empty = controller.render(renderer, training: TrainingSession.Status(dataName: "t")).text
        XCTAssertTrue(empty.contains("Draw a letter on the canvas"), empty)
        try drawStroke(controller)
        XCTAssertEqual(controller.state.drawing.strokes.count, 1)
        XCTAssertFalse(controller.state.drawing.isStroking, "the release ends the stroke")
        let before = controller.state
        let frame = controller.render(renderer, training: TrainingSession.Status(dataName: "t")).text
        XCTAssertEqual(controller.state, before, "drawing a frame changes nothing")
        XCTAssertNotNil(frame.range(of: #"looks like: [a-z] \(\d of 5"#, options: .regularExpression), frame)
        XCTAssertTrue(frame.contains("nearest test letters:") && frame.contains("prepared"), frame)
        XCTAssertTrue(frame.contains(String(DrawingPanel.marker)), "the drawing's code is marked on the plane:\n\(frame)")
        let reading = try XCTUnwrap(controller.view.read(controller.state.drawing))
        XCTAssertEqual(reading.reading.nearest.count, LetterReader.neighbours)
        XCTAssertEqual(reading.prepared, ModelView.prepare(controller.state.drawing), "the one preparation")

        _ = controller.handle(.key(.enter))
        XCTAssertEqual(controller.state.cursorPoint, reading.code, "Enter puts the cursor on the drawing's code")
        XCTAssertEqual(controller.state.mode, .draw)
        _ = controller.handle(.key(.escape))
        let plane = controller.render(renderer, training: TrainingSession.Status(dataName: "t")).text
        XCTAssertTrue(plane.contains("Decoded at cursor"), "back on the plane")
        XCTAssertFalse(controller.state.drawing.isEmpty, "the drawing is kept")
    }

    func testTheMouseDrawsOnlyOnTheCanvas() throws {
        let controller = controller()
        let layout = try XCTUnwrap(controller.state.layout(on: Self.screen))
        // On the plane a drag and a release do nothing.
        _ = controller.handle(.mouse(MouseEvent(.drag, column: layout.plane.x + 5, row: layout.plane.y + 5)))
        _ = controller.handle(.mouse(MouseEvent(.release, column: layout.plane.x + 5, row: layout.plane.y + 5)))
        XCTAssertTrue(controller.state.drawing.isEmpty)
        _ = controller.handle(.key(.character("d")))
        let drawLayout = try XCTUnwrap(controller.state.layout(on: Self.screen))
        // A click on the plane beside the canvas moves the cursor and stays in draw mode.
        let cursor = controller.state.cursor
        _ = controller.handle(.mouse(MouseEvent(.press, column: drawLayout.plane.x + 3, row: drawLayout.plane.y + 3)))
        XCTAssertNotEqual(controller.state.cursor, cursor)
        XCTAssertEqual(controller.state.mode, .draw)
        XCTAssertTrue(controller.state.drawing.isEmpty)
        try drawStroke(controller)
        XCTAssertEqual(controller.state.drawing.strokes.count, 1)
    }

    /// A conditional model's verdict is its own most likely letter, and its code a style code.
    func testAConditionalModelsVerdictIsItsOwnLetter() throws {
        let controller = controller(.cvae(hiddenSize: 16))
        _ = controller.handle(.key(.character("d")))
        try drawStroke(controller)
        let reading = try XCTUnwrap(controller.view.read(controller.state.drawing))
        let own = try XCTUnwrap(reading.reading.modelClass)
        let frame = controller.render(ExplorerRenderer(capabilities: TerminalCapabilities(pixels: .shades, colours: false, unicode: true), title: "t"), training: TrainingSession.Status(dataName: "t")).text
        XCTAssertTrue(frame.contains("looks like: \(controller.view.classNames[Int(own)])") && frame.contains("(the model's own most likely)"), frame)
        _ = controller.handle(.key(.enter))
        XCTAssertEqual(controller.state.cursorPoint, reading.code, "Enter: the cursor on the drawing's style code")
        XCTAssertEqual(controller.state.style?.letter, Int(own), "and the style plane draws the letter the model read")
        _ = controller.handle(.key(.character("w")))
        XCTAssertTrue(controller.state.wordLine.isEditing, "w writes a word in the drawing's style, from draw mode too")
        XCTAssertEqual(controller.state.mode, .draw)
    }

    /// Where the terminal is not Unicode, the drawing's marker and the pen have ASCII stand-ins.
    func testDrawModeDrawsInASCII() throws {
        let controller = controller()
        _ = controller.handle(.key(.character("d")))
        try drawStroke(controller)
        let ascii = controller.render(ExplorerRenderer(capabilities: TerminalCapabilities(pixels: .ascii, colours: false, unicode: false), title: "t"),
                                      training: TrainingSession.Status(dataName: "t")).text
        XCTAssertFalse(ascii.replacingOccurrences(of: "? help", with: "").contains("?"), "no character without a stand-in:\n\(ascii)")
        XCTAssertTrue(ascii.contains("D") && ascii.contains("o"), ascii)
    }

    /// The drawing's marker is on the scatter too.
    func testTheScatterMarksTheDrawing() throws {
        let controller = controller()
        _ = controller.handle(.key(.character("o")))
        _ = controller.handle(.key(.character("d")))
        try drawStroke(controller)
        let frame = controller.render(ExplorerRenderer(capabilities: TerminalCapabilities(pixels: .shades, colours: false, unicode: true), title: "t"),
                                      training: TrainingSession.Status(dataName: "t")).text
        XCTAssertTrue(controller.state.showsScatter)
        XCTAssertTrue(frame.contains(String(DrawingPanel.marker)), frame)
    }

    /// `S` through the session, as the terminal program runs it: a PNG of the prepared drawing in the
    /// drawing folder, and the status line says where.
    func testSInTheSessionSavesTheDrawing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("DrawModeTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = VAEModel(configuration: .mlp(hiddenSize: 16), seed: 1)
        let training = TrainingSession(dataName: "t", configuration: TrainingConfiguration(epochs: 1, batchSize: 32)) {
            SyntheticLetters.makeDataset(trainCount: 64, testCount: 26, seed: 2)
        }
        let opened = OpenedModel(model: model, metadata: ModelMetadata(configuration: model.configuration), name: "m",
                                 saveTarget: .file(folder.appendingPathComponent("m.safetensors").path), training: training)
        let data = ExplorerData(test: Self.test, reference: Self.test, classNames: LabelledDataset.letterClassNames, name: "t")
        let session = ExplorerSession(ExplorerSetup(models: [opened], data: data, dataName: "t", titleFields: ["m"], titleImportance: [0]),
                                      screen: Self.screen)
        session.drawingFolder = folder.path
        XCTAssertFalse(session.handle(.key(.character("d"))))
        XCTAssertFalse(session.handle(.key(.character("S"))))
        XCTAssertEqual(session.controller.message, "Nothing to save: the canvas is empty")
        try drawStroke(session.controller)
        _ = session.handle(.key(.character("S")))
        let saved = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("drawing-") }
        XCTAssertEqual(saved.count, 1, "\(session.controller.message)")
        XCTAssertTrue(session.controller.message.hasPrefix("Saved your drawing to \(folder.path)"), session.controller.message)
        let picture = try LetterImageFile.read(folder.appendingPathComponent(saved[0]).path)
        XCTAssertEqual(picture.luminance, ModelView.prepare(session.controller.state.drawing))
    }

    func testSWritesThePreparedDrawingAsAPNGAndNeverReplacesAnotherKind() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("DrawModeTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var canvas = DrawingCanvas()
        canvas.begin(at: CanvasPoint(x: 14, y: 4))
        canvas.extend(to: CanvasPoint(x: 14, y: 24))
        let prepared = try XCTUnwrap(ModelView.prepare(canvas))
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        let path = DrawingFile.path(at: date, folder: folder.path)
        XCTAssertTrue(DrawingFile.save(prepared, to: path).hasPrefix("Saved your drawing to \(path)"))
        let picture = try LetterImageFile.read(path)
        XCTAssertEqual(LetterPreparation.prepare(picture).pixels, prepared, "encode reads back what draw mode read")
        XCTAssertEqual(DrawingFile.path(at: date, folder: folder.path), path.replacingOccurrences(of: ".png", with: "-2.png"),
                       "a name already taken gets a number")
        // A file of another kind under the name is never replaced.
        let other = folder.appendingPathComponent("notes.png").path
        try Data("my notes".utf8).write(to: URL(fileURLWithPath: other))
        XCTAssertTrue(DrawingFile.save(prepared, to: other).hasPrefix("Could not save the drawing to \(other)"))
        XCTAssertEqual(try String(contentsOfFile: other, encoding: .utf8), "my notes")
    }
}
