import ArgumentParser
import VAE

struct SamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "Draw a sheet of a data set's images as a PNG: one row per class.")

    @OptionGroup var dataOptions: DataOptions
    @Option(name: .shortAndLong, help: ArgumentHelp("The PNG file to write.", valueName: "file")) var out: String
    @Flag(help: "Replace --out even when it holds something other than a PNG picture.") var force = false
    @Option(help: "Images per class.") var perClass = 12
    @Option(help: "Which split to draw from: train or test.") var split = "train"
    @Option(help: "Pixels per image pixel (nearest neighbour), for a sheet that is easier to read.") var scale = 1
    @Option(help: "Skip this many images of each class first (to see others than the first ones).") var skip = 0

    func validate() throws {
        try OptionRanges.check(perClass, in: OptionRanges.perClass, "--per-class")
        guard ["train", "test"].contains(split) else { throw ValidationError("--split must be train or test") }
        try OptionRanges.check(scale, in: OptionRanges.scale, "--scale")
        try OptionRanges.check(skip, in: OptionRanges.skip, "--skip")
    }

    func run() throws {
        let dataset = try dataOptions.load()
        let images = split == "train" ? dataset.train : dataset.test
        let classes = Array(Set(images.labels)).sorted()
        let side = ImageSet.side * scale
        let (width, height) = (perClass * side, classes.count * side)
        var sheet = [UInt8](repeating: 0, count: width * height)
        for (row, label) in classes.enumerated() {
            for (column, index) in images.indices(ofLabel: label).dropFirst(skip).prefix(perClass).enumerated() {
                let image = images.image(index)
                for y in 0 ..< side {
                    for x in 0 ..< side {
                        sheet[(row * side + y) * width + column * side + x] =
                            image[image.startIndex + (y / scale) * ImageSet.side + x / scale]
                    }
                }
            }
        }
        try CLIError.wrap { try AtomicFile.write(PNGEncoder.encodeGray(width: width, height: height, pixels: sheet), to: out, replacing: force ? .anything : .pngOnly) }
        print("Wrote up to \(perClass) \(split) images of each of \(classes.count) classes of \(dataset.name) to \(out)")
    }
}
