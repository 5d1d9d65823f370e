import ExplorerCore
import XCTest

/// Keys and mouse events of the views of higher-dimensional spaces: axes, PCA plane, anchor,
/// interpolation, traversal, the mouse.
final class LatentViewsStateTests: XCTestCase {
    private let catalog = ClassCatalog(entries: [
        .init(label: 1, name: "a", testIndices: [0, 3, 5]),
        .init(label: 2, name: "b", testIndices: [1, 4]),
        .init(label: 5, name: "e", testIndices: [2]),
    ])

    /// The terminal the states of this suite are on (set by `state`).
    private var screen = ScreenSize.unknown

    private func state(latentDim: Int = 16, width: Int = 120, height: Int = 40) -> ExplorerState {
        let s = ExplorerState(catalog: catalog, latentDim: latentDim)
        screen = ScreenSize(width: width, height: height)
        return s
    }

    func testXAndYCycleTheDimensionsAndTheCursorKeepsItsCode() throws {
        var s = state(latentDim: 4)
        XCTAssertEqual(s.plane.xLabel, "z1")
        XCTAssertEqual(s.plane.yLabel, "z2")
        s.anchor(at: [0.5, -1, 2, -3], name: "letter 'a' #0")
        XCTAssertEqual(s.cursorPoint, [0.5, -1, 2, -3], "the cursor sits on the anchor letter")
        XCTAssertEqual(s.apply(.character("x"), on: screen), .none)
        XCTAssertEqual(s.xDimension, 2, "x skips the dimension y shows")
        XCTAssertEqual(s.plane.xLabel, "z3")
        XCTAssertEqual(s.cursor.x, 2, "the cursor takes the anchor's value of the new dimension")
        XCTAssertEqual(s.cursorPoint, [0.5, -1, 2, -3], "so it still decodes the same code")
        _ = s.apply(.character("x"), on: screen)
        XCTAssertEqual(s.xDimension, 3)
        _ = s.apply(.character("x"), on: screen)
        XCTAssertEqual(s.xDimension, 0, "wraps around")
        _ = s.apply(.character("y"), on: screen)
        XCTAssertEqual(s.yDimension, 2)
        XCTAssertEqual(s.cursor.y, 2)
        // The dimensions not shown are held at the anchor: moving the cursor changes only x and y.
        let tile = try XCTUnwrap(s.tileStep(on: screen))
        _ = s.apply(.right, on: screen)
        let point = s.cursorPoint
        XCTAssertEqual(point[1], -1)
        XCTAssertEqual(point[3], -3)
        XCTAssertEqual(point[0], 0.5 + tile, accuracy: 1e-6, "an arrow steps one tile")
    }

    func testSmallSpacesExplainWhyAxesDoNotCycle() {
        var two = state(latentDim: 2)
        if case .notice = two.apply(.character("x"), on: screen) {} else { XCTFail("2-D: x explains itself") }
        XCTAssertEqual(two.xDimension, 0)
        var one = state(latentDim: 1)
        XCTAssertNil(one.yDimension)
        if case .notice = one.apply(.character("y"), on: screen) {} else { XCTFail("1-D: y explains itself") }
        if case .notice = one.apply(.character("p"), on: screen) {} else { XCTFail("1-D: no PCA plane") }
        _ = one.apply(.up, on: screen)
        XCTAssertEqual(one.cursor.y, 0, "a 1-D plane has no vertical direction")
        let tile = one.tileStep(on: screen)
        _ = one.apply(.right, on: screen)
        XCTAssertEqual(one.cursorPoint, [tile!])
    }

    func testPrincipalPlaneTogglesAndProjectsTheCursor() {
        var s = state(latentDim: 3)
        if case .notice = s.apply(.character("p"), on: screen) {} else { XCTFail("no codes yet: p explains itself") }
        let r = Float(0.5).squareRoot()
        let pca = LatentPlane(origin: [1, 0, 0], xAxis: [0, r, r], yAxis: [0, r, -r], xLabel: "PC1", yLabel: "PC2",
                              explainedVariance: (0.6, 0.3))
        s.setPrincipalPlane(pca)
        s.moveCursor(to: (1, 2))                      // the code (1, 2, 0)
        XCTAssertEqual(s.apply(.character("p"), on: screen), .none)
        XCTAssertTrue(s.showsPrincipalPlane)
        XCTAssertEqual(s.plane, pca)
        XCTAssertEqual(s.cursor.x, 2 * r, accuracy: 1e-6)
        XCTAssertEqual(s.cursor.y, 2 * r, accuracy: 1e-6)
        XCTAssertEqual(s.cursorPoint[1], 2, accuracy: 1e-5)
        _ = s.apply(.character("p"), on: screen)
        XCTAssertFalse(s.showsPrincipalPlane)
        XCTAssertEqual(s.cursor.x, 1, accuracy: 1e-5, "back on the slice, on the same code")
        XCTAssertEqual(s.cursor.y, 2, accuracy: 1e-5)
        _ = s.apply(.character("p"), on: screen)
        _ = s.apply(.character("y"), on: screen)
        XCTAssertFalse(s.showsPrincipalPlane, "x or y returns to the slice")
        s.setPrincipalPlane(nil)
        XCTAssertFalse(s.showsPrincipalPlane)
    }

    func testAnchoringOnThePCAPlaneMovesThePlaneThroughTheLetter() {
        var s = state(latentDim: 3)
        let r = Float(0.5).squareRoot()
        let pca = LatentPlane(origin: [1, 0, 0], xAxis: [0, r, r], yAxis: [0, r, -r], xLabel: "PC1", yLabel: "PC2")
        s.setPrincipalPlane(pca)
        _ = s.apply(.character("p"), on: screen)
        let letter: [Float] = [3, 2, 0]                 // 2 off the mean's plane along z1
        s.anchor(at: letter, name: "letter 'b' #1")
        for (value, expected) in zip(s.cursorPoint, letter) {
            XCTAssertEqual(value, expected, accuracy: 1e-5, "the cursor stands on the letter's own code")
        }
        XCTAssertEqual(s.cursor.x, 2 * r, accuracy: 1e-6, "with the coordinates it has on the mean's plane")
        XCTAssertEqual(s.cursor.y, 2 * r, accuracy: 1e-6)
        let other: [Float] = [-4, 1, 5]
        let (x, y) = s.plane.project(other), (x0, y0) = pca.project(other)
        XCTAssertEqual(x, x0, accuracy: 1e-5, "every code keeps its place in the scatter")
        XCTAssertEqual(y, y0, accuracy: 1e-5)
        _ = s.apply(.character("0"), on: screen)
        XCTAssertEqual(s.plane, pca, "0 returns to the plane through the mean")
    }

    func testZeroResetsTheAnchorAndTheView() {
        var s = state()
        s.anchor(at: [Float](repeating: 1, count: 16), name: "letter 'b' #1")
        _ = s.apply(.character("-"), on: screen)
        _ = s.apply(.character("0"), on: screen)
        XCTAssertEqual(s.anchor, [Float](repeating: 0, count: 16))
        XCTAssertEqual(s.anchorName, "origin")
        XCTAssertEqual(s.halfWidth, ExplorerState.defaultHalfWidth)
        XCTAssertEqual(s.cursorPoint, [Float](repeating: 0, count: 16))
    }

    func testMarkThenInterpolateAndEscClosesViewsButNeverQuits() {
        var s = state()
        if case .notice = s.apply(.character("i"), on: screen) {} else { XCTFail("i before m explains itself") }
        XCTAssertFalse(s.showsInterpolation)
        s.moveCursor(to: (1, 1))
        if case .notice = s.apply(.character("m"), on: screen) {} else { XCTFail("m confirms") }
        XCTAssertEqual(s.pointA?.prefix(2), [1, 1])
        _ = s.apply(.character("i"), on: screen)
        XCTAssertTrue(s.showsInterpolation)
        XCTAssertNotNil(s.layout(on: screen)?.strip, "the strip takes its rows")
        _ = s.apply(.character("v"), on: screen)
        XCTAssertTrue(s.showsTraversal)
        _ = s.apply(.character("]"), on: screen)
        _ = s.apply(.character("]"), on: screen)
        XCTAssertEqual(s.traversalScroll, 2)
        _ = s.apply(.character("["), on: screen)
        XCTAssertEqual(s.traversalScroll, 1)
        XCTAssertEqual(s.apply(.escape, on: screen), .none)
        XCTAssertFalse(s.showsTraversal)
        XCTAssertEqual(s.apply(.escape, on: screen), .none)
        XCTAssertFalse(s.showsInterpolation)
        if case .notice = s.apply(.escape, on: screen) {} else { XCTFail("with nothing open, Esc explains that q quits") }
    }

    func testBrowseUsesCapitalsForViewKeys() {
        var s = state()
        _ = s.apply(.character("b"), on: screen)
        XCTAssertEqual(s.apply(.character("M"), on: screen), .markBrowsedLetter)
        _ = s.apply(.character("V"), on: screen)
        XCTAssertTrue(s.showsTraversal)
        _ = s.apply(.character("X"), on: screen)
        XCTAssertEqual(s.xDimension, 2)
        _ = s.apply(.character("e"), on: screen)
        XCTAssertEqual(s.selectedClass?.name, "e", "lower-case letters still pick classes")
    }

    func testClickPutsTheCursorThereAndTheWheelZoomsAboutThePointer() throws {
        var s = state()
        let layout = try XCTUnwrap(s.layout(on: screen))
        let geometry = PlaneGeometry(area: layout.plane.interior, state: s)
        let (column, row) = (layout.plane.interior.x + 10, layout.plane.interior.y + 5)
        let clicked = try XCTUnwrap(geometry.gridCell(of: try XCTUnwrap(geometry.point(column: column, row: row))))
        let target = geometry.centre(row: clicked.row, column: clicked.column)
        let tile = geometry.tileRect(row: clicked.row, column: clicked.column)
        _ = s.apply(.character("b"), on: screen)
        XCTAssertEqual(s.apply(MouseEvent(.press, column: column, row: row), on: screen), .none)
        XCTAssertEqual(s.mode, .plane, "a click on the plane returns to it")
        XCTAssertEqual(s.cursor.x, target.x, accuracy: 1e-6, "the cursor goes to the centre of the tile clicked")
        XCTAssertEqual(s.cursor.y, target.y, accuracy: 1e-6)
        XCTAssertEqual(s.centre.x, 0, "a click inside the pane does not pan it")
        let after = PlaneGeometry(area: layout.plane.interior, state: s)
        XCTAssertEqual(after.left, geometry.left, accuracy: 1e-5, "the grid does not shift under a click")
        XCTAssertEqual(after.top, geometry.top, accuracy: 1e-5, "nor vertically")
        let position = try XCTUnwrap(after.screenPosition(s.cursor.pair))
        XCTAssertEqual(Int(position.column) + layout.plane.interior.x, tile.x + tile.width / 2, "the cursor is drawn in the tile clicked")
        XCTAssertEqual(Int(position.row) + layout.plane.interior.y, tile.y + tile.height / 2)

        let pointer = (column: layout.plane.interior.x + 60, row: layout.plane.interior.y + 20)
        let under = try XCTUnwrap(geometry.point(column: pointer.column, row: pointer.row))
        _ = s.apply(MouseEvent(.wheelUp, column: pointer.column, row: pointer.row), on: screen)
        XCTAssertEqual(s.halfWidth, 2, accuracy: 1e-6)
        let zoomed = PlaneGeometry(area: layout.plane.interior, state: s)
        let still = try XCTUnwrap(zoomed.screenPosition(under))
        // The grid then shifts by at most half a tile so that a tile's centre is on the cursor.
        let pitch = (x: Float(zoomed.tile.width + TileSize.gap), y: Float(zoomed.tile.height + TileSize.gap))
        XCTAssertEqual(still.column + Float(layout.plane.interior.x), Float(pointer.column) + 0.5, accuracy: pitch.x / 2,
                       "the point under the pointer stays under it, within half a tile")
        XCTAssertEqual(still.row + Float(layout.plane.interior.y), Float(pointer.row) + 0.5, accuracy: pitch.y / 2)
        _ = s.apply(MouseEvent(.wheelDown, column: pointer.column, row: pointer.row), on: screen)
        XCTAssertEqual(s.halfWidth, 3, accuracy: 1e-5)

        let before = s
        _ = s.apply(MouseEvent(.press, column: layout.side.x + 3, row: layout.side.y + 3), on: screen)
        XCTAssertEqual(s, before, "a click outside the plane changes nothing")
    }

    func testClickOnTheLegendBrowsesThatClass() throws {
        var s = state()
        _ = s.apply(.character("o"), on: screen)
        let layout = try XCTUnwrap(s.layout(on: screen))
        // The legend's first line is on the plane pane's bottom edge: " a b e".
        let bottom = layout.plane.y + layout.plane.height - 1
        _ = s.apply(MouseEvent(.press, column: layout.plane.x + 6, row: bottom), on: screen)
        XCTAssertEqual(s.mode, .browse)
        XCTAssertEqual(s.selectedClass?.name, "e")
    }

    func testTooSmallTerminalOnlyQuits() {
        var s = state(width: 1, height: 1)
        let before = s
        XCTAssertEqual(s.apply(.character("x"), on: screen), .none)
        XCTAssertEqual(s.apply(MouseEvent(.press, column: 0, row: 0), on: screen), .none)
        XCTAssertEqual(s, before)
        XCTAssertEqual(s.apply(.character("q"), on: screen), .quit)
    }
}
