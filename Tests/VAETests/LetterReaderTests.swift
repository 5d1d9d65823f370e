import Foundation
import LetterData
import XCTest
@testable import VAE

/// `LetterReader`'s code, steadied over half-pixel shifts of the letter (`steadyCode`, `SubpixelShift`):
/// the shifts move ink as bilinear resampling should, the code is the mean over the 3x3 grid of them,
/// and it moves less than the plain code when the letter is moved by a fraction of a pixel.
final class LetterReaderTests: XCTestCase {
    static let weights = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Weights/letters-16d.safetensors").path

    func testSubpixelShiftMovesInkByWholeAndHalfPixels() {
        var dot = [UInt8](repeating: 0, count: 784)
        dot[10 * 28 + 10] = 200
        XCTAssertEqual(SubpixelShift.shifted(dot, dx: 0, dy: 0), dot)
        let right = SubpixelShift.shifted(dot, dx: 1, dy: 0)
        XCTAssertEqual(right[10 * 28 + 11], 200)
        XCTAssertEqual(right.map(Int.init).reduce(0, +), 200)
        let downHalf = SubpixelShift.shifted(dot, dx: 0, dy: 0.5)
        XCTAssertEqual(downHalf[10 * 28 + 10], 100)
        XCTAssertEqual(downHalf[11 * 28 + 10], 100)
        let leftUp = SubpixelShift.shifted(dot, dx: -0.5, dy: -0.5)
        XCTAssertEqual([leftUp[9 * 28 + 9], leftUp[9 * 28 + 10], leftUp[10 * 28 + 9], leftUp[10 * 28 + 10]], [50, 50, 50, 50])
        // Ink moved beyond the edge is gone; nothing comes in from there.
        var edge = [UInt8](repeating: 0, count: 784)
        edge[5 * 28 + 27] = 255
        XCTAssertEqual(SubpixelShift.shifted(edge, dx: 1, dy: 0).max(), 0)
    }

    func testTheCodeIsTheMeanOverTheLetterAndItsEightShifts() throws {
        let model = VAEModel(configuration: .mlp(hiddenSize: 16), seed: 3)
        let inference = Inference(model: model)
        let letter = Array(SyntheticLetters.makeImageSet(count: 1, seed: 4).image(0))
        let reader = LetterReader(inference: inference, reference: NearestNeighbours(codes: [], labels: [], dimension: 2))
        let o = LetterReader.steadyingOffset
        var sum = [Float](repeating: 0, count: 2)
        for dy in [-o, 0, o] {
            for dx in [-o, 0, o] {
                let code = inference.encodeMeans(ImageSet(pixels: SubpixelShift.shifted(letter, dx: dx, dy: dy), labels: [0]))
                for j in 0 ..< 2 { sum[j] += code[j] / 9 }
            }
        }
        let reading = reader.read(letter)
        for j in 0 ..< 2 { XCTAssertEqual(reading.mean[j], sum[j], accuracy: 1e-5) }
        XCTAssertEqual(reader.steadyCode(letter, class: nil, offset: 0).mean, inference.encodeMeans(ImageSet(pixels: letter, labels: [0])))
        XCTAssertEqual(reading.reconstruction, inference.decode(reading.mean))
    }

    /// With the shipped 16-D model, moving letters by a third of a pixel moves the steadied code less
    /// than the plain one (summed over synthetic letters of every class).
    func testTheSteadiedCodeMovesLessWhenTheLetterDoes() throws {
        let (model, _) = try WeightsFile.load(Self.weights)
        let reader = LetterReader(inference: Inference(model: model), reference: NearestNeighbours(codes: [], labels: [], dimension: 16))
        let letters = SyntheticLetters.makeImageSet(count: 52, seed: 11)
        func moved(_ a: [UInt8], _ b: [UInt8], offset: Float) -> Float {
            let x = reader.steadyCode(a, class: nil, offset: offset).mean, y = reader.steadyCode(b, class: nil, offset: offset).mean
            return zip(x, y).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        }
        var plain: Float = 0, steady: Float = 0
        for i in 0 ..< letters.count {
            let letter = Array(letters.image(i)), shifted = SubpixelShift.shifted(letter, dx: 0.33, dy: -0.33)
            plain += moved(letter, shifted, offset: 0)
            steady += moved(letter, shifted, offset: LetterReader.steadyingOffset)
        }
        XCTAssertLessThan(steady, plain * 0.9, "steadied codes moved \(steady), plain \(plain)")
    }
}
