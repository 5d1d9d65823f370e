import FileFormats
import Foundation
import LetterData
import Support
import TestSupport
import XCTest
@testable import VAE

/// The issue's done-when check, built from the real letters we have: held-out test letters rendered
/// as photos (upscaled 5-8x, dark ink on light paper, random margins and offsets, a little blur and
/// noise, RGB PNG) go through `encode`'s path (PNG reader, preparation, shipped model, 5 nearest) and
/// should get the verdict their original 28x28 gets. Prints the agreement; asserts only a floor that
/// catches a broken pipeline (the figure is reported, not tuned).
///
/// `LATENT_EXPLORER_PHOTOS_PER_CLASS` sets how many held-out letters of each class (default 2, about fifty photos; 0 for all).
///
/// The second check reads the real photos in `Tests/Fixtures/letter-photos` (each named `*-X.png`
/// for its letter X) with each shipped conditional model's own most likely letter, and prints how many
/// each reads; the third does the same for the held-out photos in its `held-out` folder.
final class LetterPhotoTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let weights = repository.appendingPathComponent("Weights/letters-16d.safetensors").path
    /// The models that read real photos, the one chosen for reading first (letters-cvae-16d, trained for
    /// reading: its generative classifier reads 84.2 % of the held-out real letters, letters-cvae-2d's
    /// 73.7 %): a CVAE's generative classifier knows all 26 letters from its training, where a 5-NN vote
    /// over the partial EMNIST test letters has one reference letter of each of t-z.
    static let realPhotoWeights = ["letters-cvae-16d", "letters-cvae-2d"].map { repository.appendingPathComponent("Weights/\($0).safetensors").path }
    /// The development set, on which the preparation and the model of choice are chosen, and the held-out
    /// set, only measured (the fixtures' README says which crops are in which).
    static let realPhotos = repository.appendingPathComponent("Tests/Fixtures/letter-photos")
    static let heldOutPhotos = realPhotos.appendingPathComponent("held-out")
    /// The fresh set: single letters written alone (one to a template's box), from sources none of the
    /// choices saw; measured with the model of choice only (the README says how, fixed before reading).
    static let freshPhotos = realPhotos.appendingPathComponent("fresh")
    /// Real photos read as their own letter, at least: a floor that catches a broken photo path (blank or
    /// noisy preparations read as chance, 1 in 26), well under what the preparation gives.
    static let realPhotoFloor = 2
    /// The fresh set's floor, fixed before its first reading: four times chance (52 photos, 1 in 26 each),
    /// far under the issue's 3 of 4; it fails when single letters stop being read, not when a figure moves.
    static let freshPhotoFloor = 8
    /// Well under what a working pipeline gives, well over chance (1/26): a floor, not the goal.
    static let agreementFloor = 0.6

    /// `pixels` (28x28, ink 255) as an RGB photo of dark ink on light paper.
    static func photo(_ pixels: ArraySlice<UInt8>, using generator: inout SeededGenerator) -> (width: Int, height: Int, rgb: [UInt8]) {
        let factor = Int.random(in: 5 ... 8, using: &generator)
        let side = 28 * factor
        let margins = (0 ..< 4).map { _ in Int(Double(side) * Double.random(in: 0.15 ... 1.0, using: &generator)) }
        let width = side + margins[0] + margins[1], height = side + margins[2] + margins[3]
        let letter = Array(pixels)
        var ink = [Float](repeating: 0, count: width * height)
        letter.withUnsafeBufferPointer { l in
            ink.withUnsafeMutableBufferPointer { out in
                func at(_ xx: Int, _ yy: Int) -> Float { xx >= 0 && yy >= 0 && xx < 28 && yy < 28 ? Float(l[yy * 28 + xx]) / 255 : 0 }
                for y in 0 ..< side {
                    for x in 0 ..< side {
                        // Bilinear upscaling of the letter, pixel centres aligned.
                        let sx = (Float(x) + 0.5) / Float(factor) - 0.5, sy = (Float(y) + 0.5) / Float(factor) - 0.5
                        let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down)), fx = sx - Float(x0), fy = sy - Float(y0)
                        let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx, bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
                        out[(margins[2] + y) * width + margins[0] + x] = top * (1 - fy) + bottom * fy
                    }
                }
            }
        }
        ink = GaussianBlur.apply(ink, width: width, height: height, sigma: Float.random(in: 0.5 ... 1.5, using: &generator))
        let paper = (0 ..< 3).map { _ in Float.random(in: 195 ... 245, using: &generator) }
        let pen = (0 ..< 3).map { _ in Float.random(in: 10 ... 80, using: &generator) }
        // Sensor noise of ±6 levels from a small LCG seeded by the generator (cheap enough for every pixel).
        var noise = UInt32(truncatingIfNeeded: generator.next())
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        rgb.withUnsafeMutableBufferPointer { out in
            ink.withUnsafeBufferPointer { v in
                for p in 0 ..< width * height {
                    for c in 0 ..< 3 {
                        noise = noise &* 1_664_525 &+ 1_013_904_223
                        let jitter = Float(noise >> 24) / 255 * 12 - 6
                        out[p * 3 + c] = UInt8(max(0, min(255, (paper[c] + (pen[c] - paper[c]) * v[p] + jitter).rounded())))
                    }
                }
            }
        }
        return (width, height, rgb)
    }

    func testPhotosOfHeldOutLettersGetTheOriginalsVerdict() throws {
        let folder = try RealDataFolder.letters()
        let dataset = try DatasetLoader.load(directory: folder)
        let (model, _) = try WeightsFile.load(Self.weights)
        let partition = TestPartition(labels: dataset.test.labels)
        // The nearest letters come from the test letters that are not held out: neither the photo nor its
        // original finds itself among them.
        let reference = dataset.test.subset(partition.validation + partition.rest)
        let reader = LetterReader(inference: Inference(model: model), testImages: reference)
        let perClass = Int(ProcessInfo.processInfo.environment["LATENT_EXPLORER_PHOTOS_PER_CLASS"] ?? "") ?? 2
        var taken: [Int: Int] = [:]
        var generator = SeededGenerator(seed: 27)
        var agree = 0, total = 0, originalRight = 0, photoRight = 0
        for index in partition.heldOut {
            let label = dataset.test.labels[index]
            if perClass > 0 && taken[label, default: 0] >= perClass { continue }
            taken[label, default: 0] += 1
            let original = reader.read(Array(dataset.test.image(index))).verdict?.label
            let shot = Self.photo(dataset.test.image(index), using: &generator)
            let picture = try LetterImageFile.decode(PNGEncoder.encodeRGB(width: shot.width, height: shot.height, pixels: shot.rgb), path: "photo.png")
            let prepared = LetterPreparation.prepare(picture)
            XCTAssertEqual(prepared.polarity, .darkOnLight)
            let verdict = reader.read(prepared.pixels).verdict?.label
            total += 1
            if verdict == original { agree += 1 }
            if original == label { originalRight += 1 }
            if verdict == label { photoRight += 1 }
        }
        let share = Double(agree) / Double(total)
        print(String(format: "letter photos: the photo's verdict equals the original 28x28's for %d of %d held-out letters (%.1f%%); "
                     + "right letter: originals %d, photos %d (letters-16d, 5 nearest of %d test letters not held out)",
                     agree, total, share * 100, originalRight, photoRight, reference.count))
        XCTAssertGreaterThan(share, Self.agreementFloor)
    }

    func testRealPhotosOfSingleLettersAreReadAsTheirLetter() throws {
        let (prepared, letters) = try Self.preparedPhotos(in: Self.realPhotos)
        XCTAssertGreaterThanOrEqual(letters.count, 4)
        for (index, path) in Self.realPhotoWeights.enumerated() {
            let right = try readRealPhotos(prepared, letters: letters, weights: path, set: "development")
            if index == 0 { XCTAssertGreaterThanOrEqual(right, Self.realPhotoFloor) }
        }
    }

    /// The held-out photos (other pages and photos: print capitals and cursive) are read and printed, never
    /// asserted beyond being prepared as dark ink on paper: choices are made on the development set and
    /// only measured here.
    func testHeldOutRealPhotosAreReadAndCounted() throws {
        let (prepared, letters) = try Self.preparedPhotos(in: Self.heldOutPhotos)
        XCTAssertGreaterThanOrEqual(letters.count, 4)
        for path in Self.realPhotoWeights { _ = try readRealPhotos(prepared, letters: letters, weights: path, set: "held-out") }
    }

    /// The fresh set (single letters written alone, other sources and hands), read by the model of choice
    /// only, letters-cvae-16d, as the development and held-out sets are read.
    func testFreshRealPhotosAreReadAndCounted() throws {
        let (prepared, letters) = try Self.preparedPhotos(in: Self.freshPhotos)
        XCTAssertGreaterThanOrEqual(letters.count, 20)
        let right = try readRealPhotos(prepared, letters: letters, weights: Self.realPhotoWeights[0], set: "fresh")
        XCTAssertGreaterThanOrEqual(right, Self.freshPhotoFloor)
    }

    /// Each `*-X.png` in `folder` prepared (it must be seen as dark ink on paper, and not blank), with its
    /// letter X in lower case.
    private static func preparedPhotos(in folder: URL) throws -> (pixels: [[UInt8]], letters: [String]) {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".png") }.sorted()
        let prepared = try files.map { file in
            let prepared = LetterPreparation.prepare(try LetterImageFile.read(folder.appendingPathComponent(file).path))
            XCTAssertEqual(prepared.polarity, .darkOnLight, file)
            XCTAssertFalse(prepared.blank, file)
            return prepared.pixels
        }
        return (prepared, files.map { String($0.dropLast(".png".count).split(separator: "-").last ?? "").lowercased() })
    }

    /// How many of the `prepared` photos the conditional model at `weights` reads as their `letters`
    /// (its own most likely letter), printed with each reading.
    private func readRealPhotos(_ prepared: [[UInt8]], letters: [String], weights: String, set: String) throws -> Int {
        let (model, metadata) = try WeightsFile.load(weights)
        let classes = metadata.classes
        let inference = Inference(model: model)
        let reader = LetterReader(inference: inference, reference: NearestNeighbours(codes: [], labels: [], dimension: inference.configuration.latentDim))
        var right = 0
        var readings: [String] = []
        for (pixels, letter) in zip(prepared, letters) {
            let read = reader.read(pixels).modelClass.map { Int($0) }.flatMap { classes.indices.contains($0) ? classes[$0] : nil } ?? "?"
            if read == letter { right += 1 }
            readings.append("\(letter)->\(read)")
        }
        let name = URL(fileURLWithPath: weights).deletingPathExtension().lastPathComponent
        print("real photos (\(set)): \(right) of \(letters.count) read as their letter by \(name)'s own most likely letter (\(readings.joined(separator: " ")))")
        return right
    }
}
