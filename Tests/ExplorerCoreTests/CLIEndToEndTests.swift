import ExplorerCore
import Foundation
import Pictures
@testable import LetterData
import VAE
import XCTest

/// `grid`, `interpolate` and `traverse` draw exactly the letters the library decodes, at the scale asked
/// for, in the format the extension names; the CLI's errors say what to type instead.
final class CLIEndToEndTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        _ = try ExplorerBinary.require()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The picture at `path` holds exactly these decoded letters as its tiles, row by row, a gap apart,
    /// each pixel a `scale` x `scale` square.
    private func assertTiles(_ path: String, _ decoded: [Float], rows: Int, columns: Int, scale: Int,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let picture = try PictureFile(png: try written(path))
        let side = ImageSet.side, pixelCount = ImageSet.pixelCount
        let tiles = TilePicture.greyValues(decoded)
        XCTAssertEqual(tiles.count, rows * columns * pixelCount, file: file, line: line)
        guard let first = picture.locate(Array(tiles[0 ..< pixelCount]), side: side, scale: scale) else {
            return XCTFail("the first letter is not in the picture", file: file, line: line)
        }
        let pitch = (side + TilePicture.Layout.gap) * scale
        for tile in 0 ..< rows * columns {
            let origin = (first.x + (tile % columns) * pitch, first.y + (tile / columns) * pitch)
            XCTAssertTrue(picture.matches(Array(tiles[tile * pixelCount ..< (tile + 1) * pixelCount]), side: side, scale: scale, at: origin),
                          "tile \(tile) at \(origin)", file: file, line: line)
        }
    }

    private func written(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    func testInterpolateBetweenCodesAndTestLetters() throws {
        let weights = try TestModels.weightsFile(latentDim: 2)
        let inference = Inference(model: try WeightsFile.load(weights).model)
        let out = folder + "/strip.png"
        let run = try ExplorerBinary.run(["interpolate", "--weights", weights, "--from=-2,0.5", "--to", "1.5,1", "--steps", "9", "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("Wrote 9 letters from (-2.00, +0.50) to (+1.50, +1.00)"), run.stdout)
        let decoded = inference.decodeBatch(LatentPaths.interpolation(from: [-2, 0.5], to: [1.5, 1], steps: 9))
        try assertTiles(out, decoded, rows: 1, columns: 9, scale: 4)

        // Test letters by index: their latent means, numbered as the explorer numbers them.
        let letters = SyntheticLetters.makeImageSet(count: 41, seed: ExplorerData.syntheticTestSeed)
        let codes = inference.encodeMeans(letters)
        let byIndex = try ExplorerBinary.run(["interpolate", "--weights", weights, "--data", "synthetic", "--from", "3", "--to", "40",
                                              "--steps", "4", "--out", out])
        XCTAssertEqual(byIndex.status, 0, byIndex.stderr)
        XCTAssertTrue(byIndex.stdout.contains("from test letter #3 ('d') to test letter #40 ('o')"), byIndex.stdout)
        let expected = inference.decodeBatch(LatentPaths.interpolation(from: Array(codes[6 ..< 8]), to: Array(codes[80 ..< 82]), steps: 4))
        try assertTiles(out, expected, rows: 1, columns: 4, scale: 4)
    }

    /// `grid --dims 3,7 --at CODE`: the plane of dimensions 3 and 7 through that code, top row y = +range.
    func testGridDrawsTheChosenPlaneThroughTheGivenCode() throws {
        let weights = try TestModels.weightsFile(latentDim: 16)
        let model = try WeightsFile.load(weights).model
        let anchor = (0 ..< 16).map { Float($0 % 3) * 0.5 - 0.5 }
        let out = folder + "/grid.png"
        let run = try ExplorerBinary.run(["grid", "--weights", weights, "--dims", "3,7", "--size", "3", "--range", "2", "--scale", "1",
                                          "--at=" + anchor.map { String($0) }.joined(separator: ","), "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        var points: [Float] = []
        for y: Float in [2, 0, -2] {
            for x: Float in [-2, 0, 2] {
                var point = anchor
                (point[2], point[6]) = (x, y)
                points += point
            }
        }
        try assertTiles(out, Inference(model: model).decodeBatch(points), rows: 3, columns: 3, scale: 1)
        let outside = try ExplorerBinary.run(["grid", "--weights", weights, "--dims", "3,17", "--out", out])
        XCTAssertEqual(outside.status, 1)
        XCTAssertTrue(outside.stderr.contains("has 16 latent dimensions"), outside.stderr)
    }

    func testTraverseSweepsEachDimension() throws {
        let weights = try TestModels.weightsFile(latentDim: 16)
        let inference = Inference(model: try WeightsFile.load(weights).model)
        let out = folder + "/traversal.png"
        let at = (0 ..< 16).map { Float($0 % 3) * 0.5 }
        let run = try ExplorerBinary.run(["traverse", "--weights", weights, "--at", at.map { String($0) }.joined(separator: ","),
                                          "--dims", "16,1,5", "--steps", "7", "--range", "2.5", "--scale", "3", "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        var points: [Float] = []
        for dimension in [15, 0, 4] { points += LatentPaths.traversal(of: at, dimension: dimension, range: 2.5, steps: 7) }
        try assertTiles(out, inference.decodeBatch(points), rows: 3, columns: 7, scale: 3)

        let all = try ExplorerBinary.run(["traverse", "--weights", weights, "--out", out])
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertTrue(all.stdout.contains("Wrote 16 rows of 11 letters"), all.stdout)
        XCTAssertFalse(all.stdout.contains("σ"), "no spread without test letters")
    }

    /// With --data, each row is labelled with the spread of the test letters' codes along it: their
    /// standard deviation, computed here from the library's own latent means.
    func testTraverseLabelsRowsWithTheTestLettersSpread() throws {
        let weights = try TestModels.weightsFile(latentDim: 2)
        let inference = Inference(model: try WeightsFile.load(weights).model)
        let out = folder + "/traversal.png"
        let run = try ExplorerBinary.run(["traverse", "--weights", weights, "--data", "synthetic", "--dims", "2,1", "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        guard case .synthetic(_, let testCount) = DataSource.fullSynthetic else { return XCTFail("the synthetic source") }
        let letters = SyntheticLetters.makeImageSet(count: testCount, seed: ExplorerData.syntheticTestSeed)
        let codes = inference.encodeMeans(letters)
        func spread(_ d: Int) -> String {
            let values = stride(from: d, to: codes.count, by: 2).map { Double(codes[$0]) }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
            return String(format: "%.2f", variance.squareRoot())
        }
        XCTAssertTrue(run.stdout.hasSuffix("σ of the \(letters.count) test letters' codes: z2 \(spread(1)), z1 \(spread(0))\n"), run.stdout)
    }

    /// --scale multiplies both sides exactly; .svg writes a well-formed SVG of the same size with one group
    /// per tile; any other extension is refused in one line before anything is decoded or written.
    func testScaleAndFormatFollowTheCommandLine() throws {
        let weights = try TestModels.weightsFile(latentDim: 2)
        var sizes: [Int: (Int, Int)] = [:]
        for scale in [1, 3] {
            let out = folder + "/grid-\(scale).png"
            let run = try ExplorerBinary.run(["grid", "--weights", weights, "--size", "4", "--scale", String(scale), "--out", out])
            XCTAssertEqual(run.status, 0, run.stderr)
            let picture = try PictureFile(png: try written(out))
            sizes[scale] = (picture.width, picture.height)
            XCTAssertTrue(run.stdout.contains("(\(picture.width)x\(picture.height) pixels)"), run.stdout)
        }
        XCTAssertEqual(sizes[3]!.0, 3 * sizes[1]!.0)
        XCTAssertEqual(sizes[3]!.1, 3 * sizes[1]!.1)
        XCTAssertGreaterThan(sizes[1]!.0, 4 * ImageSet.side, "labels and gaps widen the picture")

        let svgPath = folder + "/grid.SVG"
        let svg = try ExplorerBinary.run(["grid", "--weights", weights, "--size", "4", "--scale", "3", "--out", svgPath])
        XCTAssertEqual(svg.status, 0, svg.stderr)
        let text = String(decoding: try written(svgPath), as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(sizes[3]!.0)\" height=\"\(sizes[3]!.1)\""),
                      String(text.prefix(200)))
        XCTAssertEqual(text.components(separatedBy: "<g transform=").count - 1, 16, "one group per tile")
        XCTAssertTrue(text.contains(">z1 →</text>"), "axis caption as text")

        for bad in ["g.jpg", "g", "g.png.gz"] {
            let run = try ExplorerBinary.run(["grid", "--weights", weights, "--out", folder + "/" + bad])
            XCTAssertEqual(run.status, 64, run.stderr)
            XCTAssertEqual(run.stderr, "Error: \(folder)/\(bad): pictures are written as .png or .svg, or as image data in .idx or .idx.gz; the format follows the file name's extension\n")
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/" + bad))
        }
    }

    /// Pictures as data: each picture command writes `.idx` and `.idx.gz` holding the images it decodes
    /// (or shows), upright, in reading order, which the data reader reads back.
    func testEveryPictureCommandWritesItsImagesAsIDX() throws {
        let weights = try TestModels.weightsFile(latentDim: 2)
        let inference = Inference(model: try WeightsFile.load(weights).model)
        func readBack(_ path: String) throws -> (count: Int, pixels: [UInt8]) {
            let bytes = try written(path)
            return try IDXReader.parseImages(FileBytes.isGzip(bytes) ? try FileBytes.inflateGzip(bytes, path: path) : bytes,
                                             path: path, transposed: false)
        }
        for name in ["g.idx", "g.IDX.gz"] {
            let out = folder + "/" + name
            let run = try ExplorerBinary.run(["grid", "--weights", weights, "--size", "3", "--range", "2", "--out", out])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stdout.contains("IDX, 9 images of 28x28"), run.stdout)
            let points: [Float] = [-2, 2, 0, 2, 2, 2, -2, 0, 0, 0, 2, 0, -2, -2, 0, -2, 2, -2]
            XCTAssertEqual(try readBack(out).pixels, TilePicture.greyValues(inference.decodeBatch(points)), name)
            // Run again: a save replaces its own earlier output.
            XCTAssertEqual(try ExplorerBinary.run(["grid", "--weights", weights, "--size", "3", "--out", out]).status, 0)
        }
        let strip = folder + "/s.idx.gz"
        XCTAssertEqual(try ExplorerBinary.run(["interpolate", "--weights", weights, "--from=-2,0", "--to", "2,1", "--steps", "5",
                                               "--out", strip]).status, 0)
        XCTAssertEqual(try readBack(strip).pixels,
                       TilePicture.greyValues(inference.decodeBatch(LatentPaths.interpolation(from: [-2, 0], to: [2, 1], steps: 5))))
        let sweep = folder + "/t.idx"
        XCTAssertEqual(try ExplorerBinary.run(["traverse", "--weights", weights, "--steps", "3", "--out", sweep]).status, 0)
        XCTAssertEqual(try readBack(sweep).count, 6, "2 dimensions x 3 steps")
        let sheet = folder + "/samples.idx"
        XCTAssertEqual(try ExplorerBinary.run(["samples", "--data", "synthetic", "--per-class", "2", "--split", "test", "--out", sheet]).status, 0)
        let samples = try readBack(sheet)
        XCTAssertEqual(samples.count, 52, "26 classes x 2")
        XCTAssertEqual(samples.pixels.count, 52 * ImageSet.pixelCount)
        XCTAssertTrue((0 ..< 52).allSatisfy { samples.pixels[$0 * ImageSet.pixelCount ..< ($0 + 1) * ImageSet.pixelCount].contains { $0 > 128 } },
                      "every image holds ink")
        // A file of another kind is not replaced.
        try Data("notes".utf8).write(to: URL(fileURLWithPath: folder + "/notes.idx"))
        let refused = try ExplorerBinary.run(["grid", "--weights", weights, "--size", "2", "--out", folder + "/notes.idx"])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertEqual(try written(folder + "/notes.idx"), Array("notes".utf8))
    }

    /// `write`: each character decoded with its class at one style code; `.idx` holds those letters in
    /// reading order; characters outside the classes, and a plain model, are refused in one line.
    /// `grid --letter` draws a conditional model's plane of one letter.
    func testWriteAndGridLetterWithAConditionalModel() throws {
        let weights = try TestModels.weightsFile(ModelConfiguration.cvae(hiddenSize: TestModels.mlpHiddenSize, latentDim: 2))
        let inference = Inference(model: try WeightsFile.load(weights).model)
        let out = folder + "/words.idx"
        let run = try ExplorerBinary.run(["write", "Hi yo\\nb", "--weights", weights, "--style=-1,0.5", "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("Wrote 5 letters in 2 lines in the style (-1, 0.5)"), run.stdout)
        let classes: [Int32] = [7, 8, 24, 14, 1]   // h i y o b: 'H' folded to 'h', the space a gap
        let expected = TilePicture.greyValues(inference.decodeBatch(Array([[Float]](repeating: [-1, 0.5], count: 5).joined()), classes: classes))
        let read = try IDXReader.parseImages(try written(out), path: out, transposed: false)
        XCTAssertEqual(read.count, 5)
        XCTAssertEqual(read.pixels, expected)
        let png = folder + "/words.png"
        XCTAssertEqual(try ExplorerBinary.run(["write", "hello world", "--weights", weights, "--out", png]).status, 0)
        XCTAssertEqual(Array(try written(png).prefix(4)), [0x89, 0x50, 0x4E, 0x47])

        let refused = try ExplorerBinary.run(["write", "hi!", "--weights", weights, "--out", png])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.hasPrefix("Error: cannot write '!': the model has no class for it; it writes a b c"), refused.stderr)
        XCTAssertEqual(refused.stderr.filter { $0 == "\n" }.count, 1, "one line")
        let plain = try ExplorerBinary.run(["write", "hi", "--weights", try TestModels.weightsFile(latentDim: 2), "--out", png])
        XCTAssertEqual(plain.status, 1)
        XCTAssertTrue(plain.stderr.contains("is an unconditional model (mlp)"), plain.stderr)

        let grid = folder + "/grid.idx"
        let gridRun = try ExplorerBinary.run(["grid", "--weights", weights, "--letter", "Q", "--size", "2", "--range", "1", "--out", grid])
        XCTAssertEqual(gridRun.status, 0, gridRun.stderr)
        XCTAssertTrue(gridRun.stdout.contains("letters 'q'"), gridRun.stdout)
        let points: [Float] = [-1, 1, 1, 1, -1, -1, 1, -1]
        XCTAssertEqual(try IDXReader.parseImages(try written(grid), path: grid, transposed: false).pixels,
                       TilePicture.greyValues(inference.decodeBatch(points, classes: [16, 16, 16, 16])))
        let letterOnPlain = try ExplorerBinary.run(["grid", "--weights", try TestModels.weightsFile(latentDim: 2), "--letter", "q", "--out", grid])
        XCTAssertEqual(letterOnPlain.status, 1)
        XCTAssertTrue(letterOnPlain.stderr.contains("--letter:"), letterOnPlain.stderr)
    }

    func testBadPointsAreOneLineErrors() throws {
        let weights = try TestModels.weightsFile(latentDim: 2)
        let out = folder + "/x.png"
        let cases: [([String], String)] = [
            (["interpolate", "--weights", weights, "--from", "1,2,3", "--to", "0,0", "--out", out],
             "Error: --from has 3 values; the model has 2 latent dimensions"),
            (["interpolate", "--weights", weights, "--from", "7", "--to", "0,0", "--out", out],
             "Error: --from 7 is a test-letter index and needs --data"),
            (["interpolate", "--weights", weights, "--data", "synthetic", "--from", "99999", "--to", "0,0", "--out", out],
             "Error: --from 99999: the test split has 14800 letters (0-14799)"),
            (["traverse", "--weights", weights, "--dims", "3", "--out", out], "Error: --dims 3: the model has 2 latent dimensions"),
            (["traverse", "--weights", weights, "--out", folder + "/missing/x.png"], "Error: "),
        ]
        for (arguments, prefix) in cases {
            var environment = ProcessInfo.processInfo.environment
            environment["EMNIST_DIR"] = nil
            let run = try ExplorerBinary.run(arguments, environment: environment)
            XCTAssertNotEqual(run.status, 0, "\(arguments)")
            XCTAssertTrue(run.stderr.hasPrefix(prefix), "\(arguments): \(run.stderr)")
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing written on errors")
    }
}
