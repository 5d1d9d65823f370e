import XCTest
@testable import Pictures
import VAE

/// `ComparisonFigure.Panel` decodes any model's grid: a conditional model's is its style plane of one
/// letter (decoded with that class), and the panel says which.
final class ComparisonFigureTests: XCTestCase {
    func testAConditionalModelsGridIsTheStylePlaneOfOneLetter() {
        let model = VAEModel(configuration: ModelConfiguration.cvae(hiddenSize: 8), seed: 3)
        let plane = PlaneProjection(fitting: [0, 0, 1, 1, -1, 0.5], dimension: 2)
        let panel = ComparisonFigure.Panel(title: "cvae", lines: ["figures"], model: model, plane: plane, range: 2,
                                           codes: [0, 0], labels: [1], gridCells: 2, letter: 6)
        XCTAssertEqual(panel.lines, ["figures", "grid: the style plane of 'g'"])
        // The top-left cell, decoded as 'g' at its centre (x = -1, y = +1 on a 2x2 grid over [-2, 2]²).
        let g = Inference(model: model).decode(plane.point(x: -1, y: 1), class: 6)
        let side = 2 * 28
        let topLeft = (0 ..< 28).flatMap { y in (0 ..< 28).map { x in panel.gridPixels[y * side + x] } }
        XCTAssertEqual(topLeft, g.map { UInt8(max(0, min(255, ($0 * 255).rounded()))) })
        let otherLetter = Inference(model: model).decode(plane.point(x: -1, y: 1), class: 0)
        XCTAssertNotEqual(g, otherLetter, "the class matters to the decoder")
        let plain = ComparisonFigure.Panel(title: "mlp", lines: [], model: VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 8), seed: 3),
                                           plane: plane, range: 2, codes: [0, 0], labels: [1], gridCells: 2)
        XCTAssertEqual(plain.lines, [], "a plain model's grid holds every letter: no line")
    }
}
