import ExplorerCore
import FileFormats
import Foundation
import LetterData
import TestSupport
import VAE
import XCTest

/// `latent-explorer encode`: a picture's code, nearest test letters, verdict and negative ELBO, as text
/// and JSON, the report picture, and one line for each file it cannot read.
final class EncodeCommandTests: XCTestCase {
    private func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = temporaryPath(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Synthetic test letter `index`, as the data sets store it (28x28, light on dark).
    private func testLetter(_ index: Int) -> [UInt8] {
        Array(SyntheticLetters.makeImageSet(count: index + 1, seed: ExplorerData.syntheticTestSeed).image(index))
    }

    /// A test letter given back as a picture is taken as it is and read as `LetterReader` reads it: its
    /// code is the encoder's steadied over half-pixel shifts (with the plain code it found itself at
    /// distance 0.00; steadied, in this model's crowded 2-D plane, its neighbours lie 0.01 away).
    func testATestLetterIsReadWithItsSteadiedCode() throws {
        let weights = try TestModels.weightsFile(latentDim: 2)
        let letter = testLetter(7)
        let path = try write(PNGEncoder.encodeGray(width: 28, height: 28, pixels: letter), "seven.png")
        let run = try ExplorerBinary.run(["encode", path, "--weights", weights, "--data", "synthetic"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let model = try WeightsFile.load(weights).model
        let reader = LetterReader(inference: Inference(model: model), reference: NearestNeighbours(codes: [], labels: [], dimension: 2))
        let (mean, logVariance) = reader.steadyCode(letter, class: nil)
        let code = zip(mean, logVariance).enumerated().map { i, p in "z\(i + 1) \(String(format: "%+.2f", p.0))±\(String(format: "%.2f", exp(p.1 / 2)))" }
        XCTAssertTrue(run.stdout.contains("seven.png: 28x28, light ink on dark, taken as it is"), run.stdout)
        XCTAssertTrue(run.stdout.contains("code:       " + code.joined(separator: "  ")), run.stdout)
        XCTAssertEqual(run.stdout.split(separator: "\n").first { $0.contains("nearest:") }?.split(separator: "#").count,
                       LetterReader.neighbours + 1, run.stdout)
        XCTAssertTrue(run.stdout.contains("looks like: "), run.stdout)
        XCTAssertTrue(run.stdout.contains("neg ELBO:   "), run.stdout)
    }

    /// --json: one object per image, in order, with its file name; a file it cannot read is an object
    /// with an error, and the exit status is 1. The report picture holds the prepared letter.
    func testJSONAndReportAndRefusals() throws {
        let weights = try TestModels.weightsFile(latentDim: 16)   // shared with other suites: trained once per run
        let letter = testLetter(3)
        // The same letter as a photo: dark on light, 6 times larger, off centre, in an 8-bit RGB PNG.
        var rgb = [UInt8](repeating: 235, count: 250 * 210 * 3)
        for y in 0 ..< 168 { for x in 0 ..< 168 {
            let v = UInt8(235 - Int(letter[(y / 6) * 28 + x / 6]) * 200 / 255)
            for c in 0 ..< 3 { rgb[((y + 30) * 250 + x + 70) * 3 + c] = v }
        } }
        let photo = try write(PNGEncoder.encodeRGB(width: 250, height: 210, pixels: rgb), "photo.png")
        let plain = try write(PNGEncoder.encodeGray(width: 28, height: 28, pixels: letter), "plain.png")
        let text = try write(Array("not a picture\n".utf8), "notes.png")
        let report = temporaryPath("report.png")
        let run = try ExplorerBinary.run(["encode", plain, text, photo, "--weights", weights, "--data", "synthetic", "--json", "--out", report])
        XCTAssertEqual(run.status, 1, "a file it could not read makes the exit status 1")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, run.stdout)
        let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        XCTAssertEqual(objects.map { $0["file"] as? String }, [plain, text, photo])
        XCTAssertEqual(objects[0]["taken_as_is"] as? Bool, true)
        XCTAssertEqual((objects[0]["nearest"] as! [[String: Any]]).first?["index"] as? Int, 3)
        XCTAssertEqual((objects[0]["mean"] as! [Double]).count, 16)
        XCTAssertEqual((objects[0]["sigma"] as! [Double]).count, 16)
        XCTAssertNotNil(objects[0]["verdict"] as? [String: Any])
        XCTAssertNotNil(objects[0]["neg_elbo"] as? Double)
        XCTAssertTrue((objects[1]["error"] as! String).contains("is not a PNG, PGM or PBM image"))
        XCTAssertEqual(objects[2]["polarity"] as? String, "dark-on-light")
        XCTAssertEqual(objects[2]["taken_as_is"] as? Bool, false)
        // The photo's preparation lands near the letter itself.
        let a = objects[0]["mean"] as! [Double], b = objects[2]["mean"] as! [Double]
        let distance = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        // In 16 dimensions an enlarged, re-prepared copy moves a little; it stays far nearer the letter's
        // code than the letter is to the origin (the prior's centre, where a blank would land).
        let norm = a.map { $0 * $0 }.reduce(0, +).squareRoot()
        XCTAssertLessThan(distance, 0.5 * norm, "photo code \(b) vs letter code \(a)")
        // The report: the prepared 28x28 of the plain letter is its own pixels, at scale 4.
        let picture = try PictureFile(png: [UInt8](try Data(contentsOf: URL(fileURLWithPath: report))))
        XCTAssertNotNil(picture.locate(letter, side: 28, scale: 4), "the prepared letter is in the report")
    }

    /// The hostile corpus: one line each on standard error, the good picture still read, memory bounded.
    func testHostileCorpusGetsOneLineEach() throws {
        let weights = try TestModels.weightsFile(latentDim: 2)
        let good = try write(PNGEncoder.encodeGray(width: 28, height: 28, pixels: testLetter(1)), "good.png")
        let hostile = try PNGTestFiles.hostileCorpus().map { try write($0.bytes, $0.name) }
        let run = try ExplorerBinary.run(["encode", good] + hostile + ["--weights", weights, "--data", "synthetic"])
        XCTAssertEqual(run.status, 1)
        let errors = run.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        let readable = ["sixteen-bit.png", "animated.png"]
        XCTAssertEqual(errors.count, hostile.count - readable.count, run.stderr)
        for path in hostile where !readable.contains(where: path.hasSuffix) {
            XCTAssertEqual(errors.filter { $0.contains(path) }.count, 1, "\(path): \(run.stderr)")
        }
        XCTAssertTrue(run.stdout.contains("good.png: 28x28"), run.stdout)
        for name in readable { XCTAssertTrue(run.stdout.contains("\(name): "), run.stdout) }
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        XCTAssertLessThan(usage.ru_maxrss, 2 << 20, "the largest child stayed under 2 GiB (ru_maxrss in KiB)")
    }

    func testWeightsFromPyTorchNameTheConvertCommand() throws {
        let pt = try write([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 40), "model.pt")
        let image = try write(PNGEncoder.encodeGray(width: 28, height: 28, pixels: testLetter(0)), "a.png")
        let run = try ExplorerBinary.run(["encode", image, "--weights", pt, "--data", "synthetic"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("is a PyTorch checkpoint (torch.save's zip archive); convert it with: latent-explorer-torch convert \(pt) --out "),
                      run.stderr)
    }
}
