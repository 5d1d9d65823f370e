import XCTest
@testable import LetterData
@testable import Support

final class SyntheticLettersTests: XCTestCase {
    func testSameSeedSameBytesOtherSeedOtherBytes() {
        let a = SyntheticLetters.makeImageSet(count: 2_100, seed: 5)
        XCTAssertEqual(a.pixels, SyntheticLetters.makeImageSet(count: 2_100, seed: 5).pixels)
        XCTAssertNotEqual(a.pixels, SyntheticLetters.makeImageSet(count: 2_100, seed: 6).pixels)
        // A prefix of a larger set is the smaller set: chunks do not depend on the total.
        XCTAssertEqual(Array(SyntheticLetters.makeImageSet(count: 3_000, seed: 5).pixels.prefix(a.pixels.count)), a.pixels)
    }

    func testLabelsAreBalancedAndFilterable() {
        let set = SyntheticLetters.makeImageSet(count: 2_600, seed: 1)
        for label in LabelledDataset.letterLabels { XCTAssertEqual(set.indices(ofLabel: label).count, 100) }
        let vowels = SyntheticLetters.makeImageSet(count: 50, seed: 1, labels: [1, 5, 9, 15, 21])
        XCTAssertEqual(Set(vowels.labels), [1, 5, 9, 15, 21])
    }

    /// Like EMNIST: ink well inside the frame, a plausible amount of it, and both cases drawn.
    func testInkIsCentredAndOfPlausibleAmount() {
        let set = SyntheticLetters.makeImageSet(count: 2_600, seed: 2)
        var borderInk = 0, totalInk = 0
        for index in 0 ..< set.count {
            let image = Array(set.image(index))
            XCTAssertGreaterThan(image.filter { $0 > 128 }.count, 15, "image \(index) has ink")
            for (offset, value) in image.enumerated() {
                totalInk += Int(value)
                let (row, column) = (offset / 28, offset % 28)
                if row == 0 || row == 27 || column == 0 || column == 27 { borderInk += Int(value) }
            }
        }
        let meanPixel = Double(totalInk) / Double(set.pixels.count)
        XCTAssertTrue((20 ... 80).contains(meanPixel), "mean pixel \(meanPixel)")
        XCTAssertLessThan(Double(borderInk) / Double(totalInk), 0.005, "ink touching the border")
    }

    func testFormsOfALetterDiffer() {
        let forms = LetterForms.forms(label: 1)
        XCTAssertEqual(forms.map(\.name), ["A", "single-storey a", "double-storey a"])
        var images: [[UInt8]] = []
        for form in forms {
            var generator = SeededGenerator(seed: 3)   // the same style for each form
            images.append(SyntheticLetters.render(form, using: &generator))
        }
        for i in 0 ..< images.count {
            for j in i + 1 ..< images.count {
                let difference = zip(images[i], images[j]).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
                XCTAssertGreaterThan(difference, 20_000, "\(forms[i].name) and \(forms[j].name) are drawn differently")
            }
        }
    }

    func testFormSharesAddUpAndAreDrawnInProportion() {
        for label in LabelledDataset.letterLabels {
            let forms = LetterForms.forms(label: label)
            XCTAssertEqual(forms.reduce(0) { $0 + $1.share }, 1, accuracy: 1e-5, "shares of class \(label)")
            XCTAssertTrue(forms.allSatisfy { $0.share > 0 && !$0.strokes.isEmpty })
        }
        // The draw maps consecutive intervals of [0, 1) to the forms: 'a' is A below 0.38, then single-storey.
        XCTAssertEqual(LetterForms.choose(label: 1, 0.379).name, "A")
        XCTAssertEqual(LetterForms.choose(label: 1, 0.381).name, "single-storey a")
        XCTAssertEqual(LetterForms.choose(label: 1, 0.999_999).name, "double-storey a")
    }

    /// The classes are distinguishable: a nearest-class-mean classifier on raw pixels, trained on one
    /// set and tested on another, does far better than chance (1/26).
    func testClassesAreDistinguishable() {
        let train = SyntheticLetters.makeImageSet(count: 2_600, seed: 10)
        let test = SyntheticLetters.makeImageSet(count: 1_300, seed: 11)
        var means = [Float](repeating: 0, count: 27 * 784)
        for index in 0 ..< train.count {
            let base = train.labels[index] * 784, start = index * 784
            for offset in 0 ..< 784 { means[base + offset] += Float(train.pixels[start + offset]) / 100 }
        }
        var correct = 0
        for index in 0 ..< test.count {
            let start = index * 784
            var best = (label: 0, distance: Float.infinity)
            for label in LabelledDataset.letterLabels {
                var distance: Float = 0
                for offset in 0 ..< 784 {
                    let d = Float(test.pixels[start + offset]) - means[label * 784 + offset]
                    distance += d * d
                }
                if distance < best.distance { best = (label, distance) }
            }
            if best.label == test.labels[index] { correct += 1 }
        }
        let accuracy = Double(correct) / Double(test.count)
        print("nearest-class-mean accuracy on synthetic letters: \(accuracy)")
        XCTAssertGreaterThan(accuracy, 0.5, "nearest-mean accuracy \(accuracy) (chance: 0.04)")
    }
}
