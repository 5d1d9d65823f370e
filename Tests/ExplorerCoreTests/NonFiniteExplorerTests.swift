import ExplorerCore
import Foundation
import LetterData
import VAE
import XCTest

/// A model whose weights are NaN or 3e38 (decoding to NaN and infinities) in the explorer: every view
/// renders, shades are clamped, nothing traps (it trapped in `Palette.grey` and `PlanePane`).
final class NonFiniteExplorerTests: XCTestCase {
    private func model(_ value: Float) -> VAEModel {
        let model = VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 16, latentDim: 3), seed: 2)
        var tensors = model.tensors()
        for name in tensors.keys { tensors[name]!.values = tensors[name]!.values.map { $0 < 0 ? -value : value } }
        try? model.load(tensors)
        return model
    }

    func testNaNAndHugeWeightsRenderEveryViewWithoutATrap() {
        let images = SyntheticLetters.makeImageSet(count: 52, seed: 4)
        let test = images.subset(Array(0 ..< 26)), reference = images.subset(Array(26 ..< 52))
        for value in [Float.nan, 3e38, .infinity] {
            let view = ModelView(model: model(value), test: test, reference: reference)
            let catalog = ClassCatalog(dataset: LabelledDataset(name: "n", train: reference, test: test, classNames: LabelledDataset.letterClassNames))
            let controller = ExplorerController(view: view, catalog: catalog)
            _ = controller.handle(.resize(width: 160, height: 50))
            // The plane, the PCA plane, the scatter, the strip, the traversal and browsing.
            for key in "pmoivbxy".map({ Key.character($0) }) + [.right, .down, .enter, .tab] {
                _ = controller.handle(.key(key))
                for pixels in [TerminalCapabilities.PixelStyle.halfBlocks256, .shades, .ascii] {
                    let frame = controller.render(ExplorerRenderer(capabilities: TerminalCapabilities(pixels: pixels, colours: true), title: "t"),
                                                  width: 160, height: 50, training: TrainingSession.Status(dataName: "n"))
                    XCTAssertEqual(frame.cells.count, 160 * 50, "weights \(value), after \(key)")
                }
            }
        }
        XCTAssertEqual(Palette.grey(.nan), Palette.grey(0))
        XCTAssertEqual(Palette.grey(.infinity), Palette.grey(1))
    }
}
