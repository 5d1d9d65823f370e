import ArgumentParser
import LetterData
import Pictures

struct SamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "Draw a sheet of a data set's images as a picture: one row per class, labelled with its name.")

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var picture: PictureOptions
    @Option(help: "Images per class.") var perClass = 12
    @Option(help: "Which split to draw from: train or test.") var split = "train"
    @Option(help: "Skip this many images of each class first (to see others than the first ones).") var skip = 0

    func validate() throws {
        try OptionRanges.check(perClass, in: OptionRanges.perClass, "--per-class")
        guard ["train", "test"].contains(split) else { throw ValidationError("--split must be train or test") }
        try OptionRanges.check(skip, in: OptionRanges.skip, "--skip")
    }

    func run() throws {
        let dataset = try dataOptions.load()
        let images = split == "train" ? dataset.train : dataset.test
        let classes = Array(Set(images.labels)).sorted()
        let side = ImageSet.side, pixelCount = ImageSet.pixelCount
        // Classes with fewer images than --per-class leave their last tiles black.
        var tiles = [UInt8](repeating: 0, count: classes.count * perClass * pixelCount)
        for (row, label) in classes.enumerated() {
            for (column, index) in images.indices(ofLabel: label).dropFirst(skip).prefix(perClass).enumerated() {
                let start = (row * perClass + column) * pixelCount
                tiles.replaceSubrange(start ..< start + pixelCount, with: images.image(index))
            }
        }
        let noun = ImageNoun(classNames: classes.map(dataset.className), datasetName: dataset.name)
        let sheet = TilePicture(title: "\(dataset.name): \(split) \(noun.plural)", rows: classes.count, columns: perClass,
                                tileWidth: side, tileHeight: side, tiles: tiles, rowLabels: classes.map(dataset.className))
        let written = try picture.write(sheet)
        print("Wrote up to \(perClass) \(split) \(noun.plural) of each of \(classes.count) classes of \(dataset.name) to \(picture.out) (\(written))")
    }
}
