import ExplorerCore
import LetterData
import VAE
import XCTest

/// The model view in latent spaces of 1, 2 and 16 dimensions.
final class ModelViewTests: XCTestCase {
    static let latentSizes = [1, 2, 16]

    private func makeView(latentDim: Int, kind: String = MLPNetwork.name) -> ModelView {
        let configuration = kind == MLPNetwork.name ? ModelConfiguration.mlp(hiddenSize: 24, latentDim: latentDim) : .conv(latentDim: latentDim)
        return ModelView(model: VAEModel(configuration: configuration, seed: 3),
                         test: SyntheticLetters.makeImageSet(count: 78, seed: 5), reference: SyntheticLetters.makeImageSet(count: 52, seed: 6))
    }

    func testCodesPlanesAndDecodingInEveryLatentSize() throws {
        let cases = Self.latentSizes.map { ($0, MLPNetwork.name) } + [(1, ConvNetwork.name), (16, ConvNetwork.name), (64, ConvNetwork.name)]
        for (latentDim, kind) in cases {
            let view = makeView(latentDim: latentDim, kind: kind)
            XCTAssertEqual(view.latentDim, latentDim)
            XCTAssertEqual(view.testCodes.count, 78 * latentDim)
            XCTAssertEqual(view.codeSpread.count, latentDim)
            XCTAssertEqual(Set(view.dimensionsBySpread), Set(0 ..< latentDim))
            XCTAssertEqual(view.principalPlane == nil, latentDim == 1, "a PCA plane from 2 dimensions up")

            var state = ExplorerState(catalog: ClassCatalog(entries: []), latentDim: latentDim)
            state.setPrincipalPlane(view.principalPlane)
            // Three small tiles across and two down, each with a gap before it and one after the last.
            let geometry = PlaneGeometry(area: Rect(x: 0, y: 0, width: 25, height: 11), state: state)
            XCTAssertEqual(view.decodeGrid(geometry, plane: state.plane)?.count, 3 * 2 * ImageSet.pixelCount)

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

    /// Codes sent with a training snapshot stand for the view's own encoding of the new weights.
    func testSnapshotCodesReplaceTheViewsOwnEncoding() throws {
        let view = makeView(latentDim: 3)
        let trained = VAEModel(configuration: view.model.configuration, seed: 9)
        let data = ExplorerData(test: view.test, reference: view.reference, classNames: LabelledDataset.letterClassNames, name: "t")
        let codes = Inference(model: trained).encodeMeans(data.codeImages)
        let versionBefore = view.codesVersion
        view.replaceModel(trained, codes: codes)
        XCTAssertEqual(view.codesVersion, versionBefore + 1)
        // The same encoder on other batch compositions: equal up to float rounding.
        func close(_ a: [Float], _ b: [Float]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-4 } }
        let sent = (codes: view.testCodes, plane: try XCTUnwrap(view.principalPlane))
        view.refreshCodes()
        let own = try XCTUnwrap(view.principalPlane)
        XCTAssertTrue(close(sent.codes, view.testCodes))
        XCTAssertTrue(close(sent.plane.origin, own.origin) && close(sent.plane.xAxis, own.xAxis) && close(sent.plane.yAxis, own.yAxis))
        // Without codes, only the weights change.
        let codesNow = view.codesVersion
        view.replaceModel(VAEModel(configuration: view.model.configuration, seed: 10), codes: nil)
        XCTAssertEqual(view.codesVersion, codesNow)
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

    func testBatchDecodesAreCachedPerSlotAndWeights() throws {
        let view = makeView(latentDim: 2)
        let points: [Float] = [0, 0, 1, -1]
        let first = try XCTUnwrap(view.decodeBatch(points, slot: .strip))
        XCTAssertEqual(first.count, 2 * ImageSet.pixelCount)
        XCTAssertEqual(first, view.decodeBatch(points, slot: .strip))
        XCTAssertEqual(Array(first[0 ..< ImageSet.pixelCount]), view.decode([0, 0]))
        view.replaceModel(VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 24, latentDim: 2), seed: 9))
        XCTAssertNotEqual(first, view.decodeBatch(points, slot: .strip), "new weights decode anew")
    }

    /// In the background, a batch is not waited for: the previous picture (or nothing) stands in until
    /// the worker's result arrives, and then it is exactly the synchronous decode.
    func testBackgroundDecodesAnswerAtOnceAndCatchUp() throws {
        for configuration in [ModelConfiguration.mlp(hiddenSize: 24, latentDim: 3), .conv(latentDim: 3)] {
            let model = VAEModel(configuration: configuration, seed: 4)
            let background = ModelView(model: model, test: SyntheticLetters.makeImageSet(count: 26, seed: 5),
                                       reference: SyntheticLetters.makeImageSet(count: 26, seed: 6), decodesInBackground: true)
            let reference = Inference(model: model)
            let a: [Float] = [0, 0, 0, 1, -1, 0.5], b: [Float] = [2, 0, 0, -1, -1, 0.5]
            XCTAssertNil(background.decodeBatch(a, slot: .traversal), "nothing to show before the first decode")
            background.waitForDecodes()
            XCTAssertTrue(background.takeFreshDecodes())
            XCTAssertFalse(background.takeFreshDecodes(), "reported once")
            XCTAssertEqual(background.decodeBatch(a, slot: .traversal), reference.decodeBatch(a))
            XCTAssertEqual(background.decodeBatch(b, slot: .traversal), reference.decodeBatch(a), "the previous picture stands in")
            background.waitForDecodes()
            XCTAssertEqual(background.decodeBatch(b, slot: .traversal), reference.decodeBatch(b))
            XCTAssertNil(background.decodeBatch([0, 0, 0], slot: .traversal), "a different number of letters: nothing stale")
            XCTAssertNil(background.decodeBatch(a, slot: .grid), "slots are separate")
            background.waitForDecodes()
            XCTAssertFalse(background.isDecoding)
            // a, b, the single point, then a again in the grid's slot: each decoded once, and timed.
            XCTAssertEqual(background.backgroundDecodeWork.letters, 2 + 2 + 1 + 2)
            XCTAssertGreaterThan(background.backgroundDecodeWork.cpuNanoseconds, 0)
        }
    }
}
