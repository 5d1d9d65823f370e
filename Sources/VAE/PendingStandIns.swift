// TEMPORARY: stand-ins for SyntheticLetters, DatasetLoader and PNGEncoder while their real
// implementations are written on other branches. This file is deleted when they merge.
import Foundation

public enum SyntheticLetters {
    public static func makeImageSet(count: Int, seed: UInt64, labels: [Int] = Array(1...26)) -> ImageSet {
        var g = SeededGenerator(seed: seed)
        var pixels = [UInt8](repeating: 0, count: count * 784)
        var out: [Int] = []
        for i in 0 ..< count {
            let label = labels[i % labels.count]
            out.append(label)
            let cx = 6 + (label % 6) * 3, cy = 6 + (label / 6) * 3
            for y in 0 ..< 28 { for x in 0 ..< 28 {
                let d = Float((x - cx) * (x - cx) + (y - cy) * (y - cy))
                pixels[i * 784 + y * 28 + x] = d < 20 + 10 * g.nextUniform() ? 255 : 0
            } }
        }
        return ImageSet(pixels: pixels, labels: out)
    }
    public static func makeDataset(trainCount: Int = 88_800, testCount: Int = 14_800, seed: UInt64 = 1) -> LabelledDataset {
        LabelledDataset(name: "synthetic-letters", train: makeImageSet(count: trainCount, seed: seed),
                        test: makeImageSet(count: testCount, seed: seed + 1), classNames: LabelledDataset.letterClassNames)
    }
}

