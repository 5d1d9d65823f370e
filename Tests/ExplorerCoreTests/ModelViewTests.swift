import ExplorerCore
import VAE
import XCTest

/// The model view in latent spaces of 1, 2 and 16 dimensions.
final class ModelViewTests: XCTestCase {
    static let latentSizes = [1, 2, 16]

    private func makeView(latentDim: Int) -> ModelView {
        ModelView(model: VAEModel(configuration: ModelConfiguration(hiddenSize: 24, latentDim: latentDim), seed: 3),
                  test: SyntheticLetters.makeImageSet(count: 78, seed: 5), reference: SyntheticLetters.makeImageSet(count: 52, seed: 6))
    }

    func testCodesPlanesAndDecodingInEveryLatentSize() throws {
        for latentDim in Self.latentSizes {
            let view = makeView(latentDim: latentDim)
            XCTAssertEqual(view.latentDim, latentDim)
            XCTAssertEqual(view.testCodes.count, 78 * latentDim)
            XCTAssertEqual(view.codeSpread.count, latentDim)
            XCTAssertEqual(Set(view.dimensionsBySpread), Set(0 ..< latentDim))
            XCTAssertEqual(view.principalPlane == nil, latentDim == 1, "a PCA plane from 2 dimensions up")

            var state = ExplorerState(catalog: ClassCatalog(entries: []), latentDim: latentDim)
            state.setPrincipalPlane(view.principalPlane)
            let geometry = PlaneGeometry(area: Rect(x: 0, y: 0, width: 21, height: 8), state: state)
            XCTAssertEqual(view.decodeGrid(geometry, plane: state.plane).count, 3 * 2 * ImageSet.pixelCount)

            // Every test code's own nearest test letter is itself.
            for index in [0, 40, 77] {
                let hit = try XCTUnwrap(view.nearestTestLetter(view.testCode(index)))
                XCTAssertEqual(view.testCodes[hit.index * latentDim ..< (hit.index + 1) * latentDim], view.testCodes[index * latentDim ..< (index + 1) * latentDim])
                XCTAssertEqual(hit.distance, 0)
            }
            // Projections are the plane's own.
            let projected = view.projectedTestCodes(on: state.plane)
            let p = state.plane.project(view.testCode(7))
            XCTAssertEqual(projected[14], p.x)
            XCTAssertEqual(projected[15], p.y)
        }
    }

    func testPrincipalPlaneHoldsMostVarianceAndIsOrthonormal() throws {
        let view = makeView(latentDim: 16)
        let plane = try XCTUnwrap(view.principalPlane)
        let dot = { (a: [Float], b: [Float]) in zip(a, b).map(*).reduce(0, +) }
        XCTAssertEqual(dot(plane.xAxis, plane.xAxis), 1, accuracy: 1e-4)
        XCTAssertEqual(dot(plane.xAxis, plane.yAxis), 0, accuracy: 1e-4)
        let explained = try XCTUnwrap(plane.explainedVariance)
        XCTAssertGreaterThanOrEqual(explained.x, explained.y)
        XCTAssertGreaterThanOrEqual(explained.x, 1 / 16, "the first component explains at least an average share")
    }

    func testBatchDecodesAreCachedPerSlotAndWeights() {
        let view = makeView(latentDim: 2)
        let points: [Float] = [0, 0, 1, -1]
        let first = view.decodeBatch(points, slot: .strip)
        XCTAssertEqual(first.count, 2 * ImageSet.pixelCount)
        XCTAssertEqual(first, view.decodeBatch(points, slot: .strip))
        XCTAssertEqual(Array(first[0 ..< ImageSet.pixelCount]), view.decode([0, 0]))
        view.replaceModel(VAEModel(configuration: ModelConfiguration(hiddenSize: 24, latentDim: 2), seed: 9))
        XCTAssertNotEqual(first, view.decodeBatch(points, slot: .strip), "new weights decode anew")
    }
}
