import ExplorerCore
import Foundation
import VAE
import XCTest

/// `interpolate` and `traverse` write exactly the letters the library decodes.
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

    /// The PNG the commands should write for these decoded letters (the encoder is deterministic).
    private func expectedPNG(_ decoded: [Float], rows: Int, columns: Int) -> [UInt8] {
        let side = ImageSet.side, width = columns * side
        var pixels = [UInt8](repeating: 0, count: rows * columns * ImageSet.pixelCount)
        for cell in 0 ..< rows * columns {
            for y in 0 ..< side {
                for x in 0 ..< side {
                    let p = decoded[cell * ImageSet.pixelCount + y * side + x]
                    pixels[((cell / columns) * side + y) * width + (cell % columns) * side + x] = UInt8(max(0, min(255, (p * 255).rounded())))
                }
            }
        }
        return PNGEncoder.encodeGray(width: width, height: rows * side, pixels: pixels)
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
        XCTAssertEqual(try written(out), expectedPNG(decoded, rows: 1, columns: 9))

        // Test letters by index: their latent means, numbered as the explorer numbers them.
        let letters = SyntheticLetters.makeImageSet(count: 41, seed: ExplorerData.syntheticTestSeed)
        let codes = inference.encodeMeans(letters)
        let byIndex = try ExplorerBinary.run(["interpolate", "--weights", weights, "--data", "synthetic", "--from", "3", "--to", "40",
                                              "--steps", "4", "--out", out])
        XCTAssertEqual(byIndex.status, 0, byIndex.stderr)
        XCTAssertTrue(byIndex.stdout.contains("from test letter #3 ('d') to test letter #40 ('o')"), byIndex.stdout)
        let expected = inference.decodeBatch(LatentPaths.interpolation(from: Array(codes[6 ..< 8]), to: Array(codes[80 ..< 82]), steps: 4))
        XCTAssertEqual(try written(out), expectedPNG(expected, rows: 1, columns: 4))
    }

    /// `grid --dims 3,7 --at CODE`: the plane of dimensions 3 and 7 through that code, top row y = +range.
    func testGridDrawsTheChosenPlaneThroughTheGivenCode() throws {
        let weights = try TestModels.weightsFile(latentDim: 16)
        let model = try WeightsFile.load(weights).model
        let anchor = (0 ..< 16).map { Float($0 % 3) * 0.5 - 0.5 }
        let out = folder + "/grid.png"
        let run = try ExplorerBinary.run(["grid", "--weights", weights, "--dims", "3,7", "--size", "3", "--range", "2",
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
        XCTAssertEqual(try written(out), expectedPNG(Inference(model: model).decodeBatch(points), rows: 3, columns: 3))
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
                                          "--dims", "16,1,5", "--steps", "7", "--range", "2.5", "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        var points: [Float] = []
        for dimension in [15, 0, 4] { points += LatentPaths.traversal(of: at, dimension: dimension, range: 2.5, steps: 7) }
        XCTAssertEqual(try written(out), expectedPNG(inference.decodeBatch(points), rows: 3, columns: 7))

        let all = try ExplorerBinary.run(["traverse", "--weights", weights, "--out", out])
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertTrue(all.stdout.contains("Wrote 16 rows of 11 letters"), all.stdout)
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
