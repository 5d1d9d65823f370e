@testable import ExplorerCore
import Foundation
import LetterData
import TestSupport
import XCTest

/// Draw mode's canvas: the soft round brush and its stroke width, strokes joined between the mouse's
/// reports, undo and clear, the keyboard's pen, and strokes as wide as EMNIST's once prepared.
final class DrawingCanvasTests: XCTestCase {
    private func ink(_ canvas: DrawingCanvas, _ x: Int, _ y: Int) -> Float { canvas.ink[y * DrawingCanvas.side + x] }

    func testTheBrushIsSoftAndRound() {
        XCTAssertEqual(DrawingCanvas.brush(distance: 0), 1)
        XCTAssertEqual(DrawingCanvas.brush(distance: DrawingCanvas.brushCore), 1)
        XCTAssertEqual(DrawingCanvas.brush(distance: DrawingCanvas.brushEdge), 0)
        let middle = DrawingCanvas.brush(distance: (DrawingCanvas.brushCore + DrawingCanvas.brushEdge) / 2)
        XCTAssertEqual(middle, 0.5, accuracy: 1e-5, "the edge fades linearly")

        var canvas = DrawingCanvas()
        canvas.begin(at: CanvasPoint(x: 14, y: 14))
        // A dot: the same ink at the same distance in every direction.
        XCTAssertEqual(ink(canvas, 13, 13), ink(canvas, 14, 14), accuracy: 1e-6)
        XCTAssertEqual(ink(canvas, 13, 14), ink(canvas, 14, 13), accuracy: 1e-6)
        XCTAssertEqual(ink(canvas, 10, 14), 0)
    }

    /// A horizontal line drawn through pixel centres: about 2.8 pixels of ink across (a full pixel and
    /// two soft edges), and full ink along the line.
    func testAStrokeIsAboutThreePixelsWide() {
        var canvas = DrawingCanvas()
        canvas.begin(at: CanvasPoint(x: 4, y: 14.5))
        canvas.extend(to: CanvasPoint(x: 24, y: 14.5))
        canvas.end()
        let column = (0 ..< DrawingCanvas.side).map { ink(canvas, 14, $0) }
        let width = column.reduce(0, +)
        XCTAssertEqual(width, 2.8, accuracy: 0.3, "ink across the stroke: \(column)")
        XCTAssertEqual(column[14], 1)
        XCTAssertEqual(column.filter { $0 == 1 }.count, 1, "one full pixel where the line passes through a pixel's centre")
        XCTAssertTrue((4 ... 24).allSatisfy { ink(canvas, $0, 14) == 1 }, "no gap between the two reports")
        XCTAssertFalse(canvas.isStroking)
    }

    func testUndoDropsTheLastStrokeAndClearDropsThemAll() {
        var canvas = DrawingCanvas()
        canvas.begin(at: CanvasPoint(x: 5, y: 5))
        canvas.extend(to: CanvasPoint(x: 5, y: 20))
        canvas.end()
        let first = canvas.ink
        canvas.begin(at: CanvasPoint(x: 20, y: 5))
        canvas.extend(to: CanvasPoint(x: 20, y: 20))
        canvas.end()
        XCTAssertEqual(canvas.strokes.count, 2)
        XCTAssertNotEqual(canvas.ink, first)
        XCTAssertTrue(canvas.undo())
        XCTAssertEqual(canvas.ink, first, "undo gives back the canvas before the stroke")
        canvas.clear()
        XCTAssertTrue(canvas.isEmpty)
        XCTAssertEqual(canvas.ink.max(), 0)
        XCTAssertFalse(canvas.undo(), "nothing left to undo")
    }

    func testADragWithoutAPressDrawsNothingAndPointsAreClamped() {
        var canvas = DrawingCanvas()
        canvas.extend(to: CanvasPoint(x: 3, y: 3))
        XCTAssertTrue(canvas.isEmpty, "a motion report with no stroke under way")
        canvas.begin(at: CanvasPoint(x: -10, y: 40))
        XCTAssertEqual(canvas.strokes[0][0], CanvasPoint(x: 0, y: 28))
    }

    func testThePenDrawsWhenDownAndMovesWhenUp() {
        var canvas = DrawingCanvas()
        XCTAssertEqual(canvas.pen.x, 14)
        canvas.movePen(dx: 1, dy: 0)
        XCTAssertTrue(canvas.isEmpty, "a lifted pen only moves")
        canvas.togglePen()
        XCTAssertTrue(canvas.penIsDown)
        XCTAssertEqual(ink(canvas, 15, 14), 1, "lowering the pen leaves a dot")
        for _ in 0 ..< 5 { canvas.movePen(dx: 0, dy: -1) }   // down the screen
        XCTAssertEqual(canvas.strokes.count, 1)
        XCTAssertEqual(ink(canvas, 15, 19), 1)
        canvas.togglePen()
        canvas.movePen(dx: -5, dy: 0)
        XCTAssertEqual(ink(canvas, 10, 19), 0, "lifted again: no ink")
        for _ in 0 ..< 40 { canvas.movePen(dx: 1, dy: 1) }
        XCTAssertEqual(canvas.pen.x, DrawingCanvas.side - 1)
        XCTAssertEqual(canvas.pen.y, 0, "the pen stays on the canvas")
    }

    /// A drawn letter goes through the one EMNIST preparation: framed and centred in 28x28 with its
    /// 2-pixel margin, whatever corner it was drawn in.
    func testADrawingInACornerIsPreparedCentred() throws {
        var canvas = DrawingCanvas()
        canvas.begin(at: CanvasPoint(x: 2, y: 2))
        canvas.extend(to: CanvasPoint(x: 2, y: 10))
        canvas.end()
        let prepared = try XCTUnwrap(ModelView.prepare(canvas))
        XCTAssertEqual(prepared.count, ImageSet.pixelCount)
        let rows = (0 ..< 28).filter { y in (0 ..< 28).contains { prepared[y * 28 + $0] > 50 } }
        XCTAssertGreaterThanOrEqual(rows.first ?? 0, LetterPreparation.margin - 1)
        XCTAssertLessThanOrEqual(rows.last ?? 27, 27 - LetterPreparation.margin + 1)
        XCTAssertGreaterThan(rows.count, 20, "the stroke spans the frame's height")
        XCTAssertNil(ModelView.prepare(DrawingCanvas()), "an empty canvas is not read")
    }

    /// Letters drawn across most of the canvas (an o, an l, an a), once prepared as EMNIST's were, have
    /// strokes as wide as the real test letters' (`LetterMeasures.strokeWidth`: stroke area over
    /// pen-path length): within 30 % of their median.
    func testPreparedStrokesAreAsWideAsEMNISTs() throws {
        let folder = try RealDataFolder.letters()
        let test = try DatasetLoader.load(directory: folder).test
        let real = (0 ..< test.count).map { LetterMeasures(image: test.image($0)).strokeWidth }.filter(\.isFinite).sorted()
        let median = real[real.count / 2]
        func ring(_ cx: Float, _ cy: Float, _ rx: Float, _ ry: Float) -> [CanvasPoint] {
            (0 ... 36).map { step in
                let angle = Float(step) * 2 * .pi / 36
                return CanvasPoint(x: cx + rx * cos(angle), y: cy + ry * sin(angle))
            }
        }
        let letters: [String: [[CanvasPoint]]] = [
            "o": [ring(14, 14, 8, 10)],
            "l": [[CanvasPoint(x: 14, y: 3), CanvasPoint(x: 14, y: 25)]],
            "a": [ring(12, 15, 8, 9), [CanvasPoint(x: 20.5, y: 5), CanvasPoint(x: 20.5, y: 24.5)]],
        ]
        for (name, strokes) in letters.sorted(by: { $0.key < $1.key }) {
            var canvas = DrawingCanvas()
            for stroke in strokes {
                canvas.begin(at: stroke[0])
                for point in stroke.dropFirst() { canvas.extend(to: point) }
                canvas.end()
            }
            let prepared = try XCTUnwrap(ModelView.prepare(canvas))
            let width = LetterMeasures(image: prepared[...]).strokeWidth
            print("draw mode: '\(name)' stroke width \(String(format: "%.2f", width)) px, EMNIST test letters' median \(String(format: "%.2f", median)) px")
            XCTAssertEqual(width, median, accuracy: 0.3 * median, "'\(name)': a stroke \(width) px wide against EMNIST's \(median)")
        }
    }
}
