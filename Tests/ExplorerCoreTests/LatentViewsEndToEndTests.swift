import ExplorerCore
import Foundation
import XCTest

/// Each new key of the latent views, driven in tmux on every model in `ModelUnderTest.all`, and
/// what it must change on the screen.
final class LatentViewsEndToEndTests: TmuxTestCase {
    static let size = (width: 120, height: 40)
    static let screen = ScreenSize(width: size.width, height: size.height)



    /// Opens the explorer on `model` at 120x40, without colour unless asked, and waits for it.
    private func open(_ model: ModelUnderTest, colours: Bool = false, extra: String = "") throws {
        session.kill()
        session = TmuxSession()
        let weights = try model.makeWeights()
        session.start(width: Self.size.width, height: Self.size.height,
                      arguments: "--weights \(TmuxSession.quoted(weights)) --data synthetic --test-count 1040 \(extra)",
                      environment: colours ? [:] : ["NO_COLOR": "1"])
        session.waitFor("the explorer to open on \(model)") { $0.contains("Latent plane") && $0.contains("nearest ") }
        session.keys("0")   // from the test letter it starts on to the origin
        session.waitFor("the origin") { $0.contains("z1 +0.00  z2 +0.00") || $0.contains("z1 +0.00 ") }
    }

    private func title(_ screen: String) -> String { screen.split(separator: "\n", omittingEmptySubsequences: false)[1].description }

    /// The plane pane's inside (columns 1-86 of rows 2-29): what the small letters look like.
    private func plane(_ screen: String) -> String {
        screen.split(separator: "\n", omittingEmptySubsequences: false)[2 ..< 30].map { String($0.dropFirst().prefix(86)) }.joined(separator: "\n")
    }

    /// The side pane's inside (columns 89-118 of rows 2-37).
    private func side(_ screen: String) -> String {
        screen.split(separator: "\n", omittingEmptySubsequences: false)[2 ..< 38].map { String($0.dropFirst(89).prefix(30)) }.joined(separator: "\n")
    }

    func testXYAndPChangeThePlaneShown() throws {
        for model in ModelUnderTest.all {
            try open(model)
            let start = session.settled()
            XCTAssertTrue(title(start).contains("x z1 ") && title(start).contains("y z2 "), "\(model): \(title(start))")

            session.keys("x")
            let x = session.waitFor("x to show z3 across") { self.title($0).contains("x z3 ") }
            XCTAssertTrue(title(x).contains("y z2 "), title(x))
            XCTAssertTrue(side(session.settled()).contains("z3 +0.00  z2 +0.00"), side(x))
            XCTAssertNotEqual(plane(session.settled()), plane(start), "\(model): another dimension decodes other letters")

            session.keys("y")
            let y = session.waitFor("y to show z4 up") { self.title($0).contains("y z4 ") }
            XCTAssertTrue(title(y).contains("x z3 "), title(y))

            let beforePCA = session.settled()
            session.keys("p")
            let pca = session.waitFor("the PCA plane") { self.title($0).contains("PCA plane") }
            XCTAssertNotNil(title(pca).range(of: #"x PC1 \(\d+%\) "#, options: .regularExpression), title(pca))
            XCTAssertNotNil(title(pca).range(of: #"y PC2 \(\d+%\) "#, options: .regularExpression), title(pca))
            XCTAssertNotEqual(plane(session.settled()), plane(beforePCA), "\(model): the PCA plane shows other letters")
            session.keys("p")
            session.waitFor("the slice again") { self.title($0).contains("x z3 ") && self.title($0).contains("y z4 ") }
        }
    }

    func testEnterAnchorsAtABrowsedLetterAndZeroResets() throws {
        for model in ModelUnderTest.all {
            try open(model)
            session.keys("b", "e", "Right", "Enter")
            let anchored = session.waitFor("the anchor at the browsed letter") { self.title($0).contains("others at letter 'e' #") }
            XCTAssertTrue(side(anchored).contains("others at letter 'e' #"), side(anchored))
            XCTAssertNotNil(side(anchored).range(of: #"z3 [+-]\d\.\d\d"#, options: .regularExpression), "the anchor's values are shown")
            XCTAssertTrue(anchored.contains("dimensions are held at letter 'e'"), "the status line explains")
            session.keys("0")
            session.waitFor("the anchor back at the origin") { self.title($0).contains("others at origin") }
        }
    }

    func testMarkThenInterpolateFollowsTheCursor() throws {
        for model in ModelUnderTest.all {
            try open(model)
            session.keys("i")
            session.waitFor("a hint to mark A first") { $0.contains("Mark point A first: m marks the cursor") }
            session.keys("m")
            session.waitFor("A marked") { $0.contains("Point A marked at the cursor") }
            session.keys("L", "K", "i")
            let strip = session.waitFor("the interpolation strip") { $0.contains("Interpolation, 9 steps: A cursor (+0.00, +0.00) → the cursor") }
            let stripRows = { (screen: String) -> String in
                let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
                let top = lines.firstIndex { $0.contains("Interpolation, 9 steps") }!
                return lines[top + 1 ..< top + 5].map { String($0.prefix(87)) }.joined(separator: "\n")
            }
            let first = stripRows(session.settled())
            XCTAssertFalse(first.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "│"))).isEmpty, strip)
            XCTAssertTrue(plane(strip).contains("A"), "point A is marked on the plane")
            session.keys("J", "J", "J")
            session.waitFor("the cursor to move") { !$0.contains("z1 +4.50  z2 +4.50") }
            XCTAssertNotEqual(stripRows(session.settled()), first, "\(model): the strip follows the cursor")
            session.keys("i")
            session.waitFor("the strip to close") { !$0.contains("Interpolation, 9 steps") }
        }
    }

    func testTraversalShowsOneRowPerDimension() throws {
        for model in ModelUnderTest.all {
            try open(model)
            session.keys("v")
            let traversal = session.waitFor("the traversal") { $0.contains("Traversal of the cursor") }
            XCTAssertTrue(traversal.contains("rows 1-6 of \(model.latentDim), [ ] scroll"), title(traversal))
            let labels = traversal.split(separator: "\n").compactMap { line -> String? in
                guard let match = line.range(of: #"^│ z\d+ "#, options: .regularExpression) else { return nil }
                return String(line[match]).trimmingCharacters(in: CharacterSet(charactersIn: "│ "))
            }
            XCTAssertEqual(labels.count, 6, traversal)
            XCTAssertEqual(Set(labels).count, 6, "six different dimensions")
            session.keys("]")
            session.waitFor("the rows to scroll") { $0.contains("rows 2-7 of \(model.latentDim)") }
            session.keys("Escape")
            session.waitFor("the plane again") { self.title($0).contains("Latent plane") }
        }
    }

    /// The expected side-pane coordinates after a click at a screen cell (the centre of the tile
    /// clicked), from the explorer's own state.
    private func expectedCoordinates(column: Int, row: Int, latentDim: Int) throws -> String {
        var state = ExplorerState(catalog: ClassCatalog(entries: []), latentDim: latentDim)
        _ = state.apply(MouseEvent(.press, column: column, row: row), on: Self.screen)
        return String(format: "z1 %+.2f  z2 %+.2f", state.cursor.x, state.cursor.y)
    }

    /// The plane's ranges in the title after a click and a wheel notch, from the explorer's own state
    /// (whose zoom keeps the point under the pointer in place, as `LatentViewsStateTests` checks).
    private func expectedRanges(afterClickAt click: (Int, Int), wheelUpAt pointer: (Int, Int), latentDim: Int) throws -> String {
        var state = ExplorerState(catalog: ClassCatalog(entries: []), latentDim: latentDim)
        _ = state.apply(MouseEvent(.press, column: click.0, row: click.1), on: Self.screen)
        _ = state.apply(MouseEvent(.wheelUp, column: pointer.0, row: pointer.1), on: Self.screen)
        XCTAssertEqual(state.halfWidth, ExplorerState.defaultHalfWidth / ExplorerState.zoomFactor, accuracy: 1e-6)
        let geometry = PlaneGeometry(area: try XCTUnwrap(state.layout(on: Self.screen)).plane.interior, state: state)
        return String(format: "x z1 %.1f…%.1f  y z2 %.1f…%.1f", geometry.left, geometry.right, geometry.bottom, geometry.top)
    }

    func testMouseClickMovesTheCursorAndTheWheelZooms() throws {
        for model in ModelUnderTest.all {
            try open(model)
            let expected = try expectedCoordinates(column: 10, row: 6, latentDim: model.latentDim)
            session.click(column: 10, row: 6)
            let clicked = session.waitFor("the cursor at the click") { $0.contains(expected) }
            let found = try XCTUnwrap(CursorFrameEndToEndTests.cursorAndFrame(clicked), "a framed cursor:\n\(clicked)")
            XCTAssertTrue((found.frame.left ... found.frame.right).contains(10) && (found.frame.top ... found.frame.bottom).contains(6),
                          "the tile clicked is framed, the cursor in it:\n\(plane(clicked))")
            let before = title(clicked)
            session.wheel(up: true, column: 60, row: 20)
            let zoomed = session.waitFor("the wheel to zoom in") { self.title($0) != before }
            XCTAssertTrue(title(zoomed).contains(try expectedRanges(afterClickAt: (10, 6), wheelUpAt: (60, 20), latentDim: model.latentDim)),
                          "zoomed about the pointer: \(title(zoomed))")
            XCTAssertTrue(session.screen().contains(expected), "the wheel does not move the cursor")
            session.keys("q")
            XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
        }
    }

    /// A click through tmux's own mouse handling: an outer tmux pane runs a client of the explorer's
    /// server (with `mouse on`); the click is typed into the outer pane as the terminal would send it,
    /// and tmux forwards it to the explorer as a mouse event in the explorer's chosen encoding.
    func testClickThroughTmuxMouseMode() throws {
        let model = ModelUnderTest.all[0]
        try open(model)
        session.tmux(["set-option", "-g", "mouse", "on"])
        let outer = TmuxSession()
        defer { outer.kill() }
        outer.run(width: Self.size.width, height: Self.size.height + 1,
                  command: "TERM=xterm-256color tmux -L \(session.socket) attach")
        outer.waitFor("the client to attach") { $0.contains("Latent plane") }
        let expected = try expectedCoordinates(column: 30, row: 10, latentDim: model.latentDim)
        outer.literal("\u{1B}[<0;31;11M")
        outer.literal("\u{1B}[<0;31;11m")
        session.waitFor("the cursor at the click") { $0.contains(expected) }
    }

    static let legendRow = 36

    func testLegendNamesTheClassesInTheirColoursAndBrowsingHighlightsOne() throws {
        for model in ModelUnderTest.all {
            try open(model, colours: true)
            session.keys("o")
            let plain = session.waitFor("the scatter") { self.title($0).contains("· test letters") }
            // The plane's bottom edge: row 36 at 120x40 while the training panel is one idle line.
            let bottom = plain.split(separator: "\n", omittingEmptySubsequences: false)[Self.legendRow]
            XCTAssertTrue(bottom.contains("╰ a b c d e f g h i j k l m n o p q r s t u v w x y z "), String(bottom))
            let coloured = StyledLine(String(session.settled(withColours: true).split(separator: "\n", omittingEmptySubsequences: false)[Self.legendRow]))
            let letters = Array("abcdefghijklmnopqrstuvwxyz")
            let colours = letters.compactMap { coloured.first($0)?.foreground }
            XCTAssertEqual(colours.count, 26, "every class has a colour in the legend")
            XCTAssertEqual(Set(colours).count, 26, "each its own")

            session.keys("b", "c")
            session.waitFor("browsing c") { $0.contains("Browse class 'c'") }
            let browsing = StyledLine(String(session.settled(withColours: true).split(separator: "\n", omittingEmptySubsequences: false)[Self.legendRow]))
            let c = try XCTUnwrap(browsing.first("c"))
            XCTAssertTrue(c.reverse, "the browsed class stands out")
            XCTAssertEqual(c.foreground, colours[2], "in its own colour")
            for other in letters where other != "c" {
                XCTAssertEqual(browsing.first(other)?.dim, true, "\(other) is dimmed while c is browsed")
            }
        }
    }
}
