import ArgumentParser
import LetterData
import Pictures
import VAE

struct InterpolateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interpolate",
        abstract: "Draw the letters decoded along a straight line between two latent points, as a picture.",
        discussion: """
            --from and --to each take a latent code (comma-separated, e.g. 0.5,-1.2, one value per latent \
            dimension) or a test letter's index (e.g. 1234, as the explorer shows it: "test #1234"), which \
            stands for that letter's latent mean and needs --data. A code that starts with a minus is written \
            with an equals sign: --from=-2,0.5. Both ends are included; each letter is labelled with its \
            position t along the line (0 at --from, 1 at --to), and the picture is drawn at scale 4 unless \
            --scale says otherwise.
            """)

    @OptionGroup var dataOptions: DataOptions
    @Option(help: ArgumentHelp("The weights to decode with.", valueName: "file")) var weights: String
    @Option(help: ArgumentHelp("Where the strip starts: a latent code or a test-letter index.", valueName: "point")) var from: LatentPoint
    @Option(help: ArgumentHelp("Where the strip ends: a latent code or a test-letter index.", valueName: "point")) var to: LatentPoint
    @Option(help: "Letters in the strip, both ends included.") var steps = 10
    @OptionGroup var picture: PictureOptions
    @OptionGroup var letterOption: LetterOption

    static let stepRange = OptionRanges.pathSteps
    /// One row of letters is small at scale 2; 4 makes each letter 112 pixels tall.
    static let defaultScale = 4

    func validate() throws {
        try OptionRanges.check(steps, in: Self.stepRange, "--steps")
    }

    func run() throws {
        let (model, metadata) = try LoadedWeights.load(weights)
        let inference = Inference(model: model)
        let letter = try letterOption.classIndex(for: model, weights: weights)
        var resolver = LatentPointResolver(inference: inference, latentDim: model.latentDim, dataOptions: dataOptions)
        let start = try resolver.code(from, option: "--from"), end = try resolver.code(to, option: "--to")
        let noun = ImageNoun(classNames: metadata.classes, datasetName: metadata.dataset)
        let geometry = model.configuration.geometry
        try CLIError.wrap { try DecodedSheet.check(cells: steps, geometry: geometry) }
        let decoded = inference.decodeBatch(LatentPaths.interpolation(from: start.code, to: end.code, steps: steps),
                                             classes: letter.map { [Int32](repeating: $0.index, count: steps) })
        let positions = (0 ..< steps).map { Float($0) / Float(steps - 1) }
        let picture = TilePicture(title: "\(PictureOptions.fileName(weights)): \(letter.map { "'\($0.name)' " } ?? "")from \(start.name) to \(end.name)", rows: 1, columns: steps,
                                  tileWidth: geometry.width, tileHeight: geometry.height,
                                  tiles: TilePicture.greyValues(decoded, geometry: geometry), columnLabels: positions.map(TilePicture.label),
                                  columnCaption: "t →")
        let written = try self.picture.write(picture, defaultScale: Self.defaultScale)
        print("Wrote \(steps) \(noun.plural) from \(start.name) to \(end.name) to \(self.picture.out) (\(written))")
    }
}
