import ArgumentParser
import VAE

struct SamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "Draw a sheet of a data set's training images as a PNG: one row per class.")

    @OptionGroup var dataOptions: DataOptions
    @Option(name: .shortAndLong, help: ArgumentHelp("The PNG file to write.", valueName: "file")) var out: String
    @Option(help: "Images per class.") var perClass = 12

    func validate() throws {
        guard (1 ... 100).contains(perClass) else { throw ValidationError("--per-class must be between 1 and 100") }
    }

    func run() throws {
        let dataset = try dataOptions.load()
        let classes = dataset.labelsPresent
        let side = ImageSet.side
        let (width, height) = (perClass * side, classes.count * side)
        var sheet = [UInt8](repeating: 0, count: width * height)
        for (row, label) in classes.enumerated() {
            for (column, index) in dataset.train.indices(ofLabel: label).prefix(perClass).enumerated() {
                let image = dataset.train.image(index)
                for y in 0 ..< side {
                    for x in 0 ..< side {
                        sheet[(row * side + y) * width + column * side + x] = image[image.startIndex + y * side + x]
                    }
                }
            }
        }
        try CLIError.wrap { try AtomicFile.write(PNGEncoder.encodeGray(width: width, height: height, pixels: sheet), to: out) }
        print("Wrote \(perClass) images of each of \(classes.count) classes of \(dataset.name) to \(out)")
    }
}
