import ArgumentParser
import VAE

struct InterpolateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interpolate",
        abstract: "Draw the letters decoded along a straight line between two latent points, as a PNG strip.",
        discussion: """
            --from and --to each take a latent code (comma-separated, e.g. 0.5,-1.2, one value per latent \
            dimension) or a test letter's index (e.g. 1234, as the explorer shows it: "test #1234"), which \
            stands for that letter's latent mean and needs --data. A code that starts with a minus is written \
            with an equals sign: --from=-2,0.5. Both ends are included.
            """)

    @OptionGroup var dataOptions: DataOptions
    @Option(help: ArgumentHelp("The weights to decode with.", valueName: "file")) var weights: String
    @Option(help: ArgumentHelp("Where the strip starts: a latent code or a test-letter index.", valueName: "point")) var from: LatentPoint
    @Option(help: ArgumentHelp("Where the strip ends: a latent code or a test-letter index.", valueName: "point")) var to: LatentPoint
    @Option(help: "Letters in the strip, both ends included.") var steps = 10
    @Option(name: .shortAndLong, help: ArgumentHelp("The PNG file to write.", valueName: "file")) var out: String
    @Flag(help: "Replace --out even when it holds something other than a PNG picture.") var force = false

    static let stepRange = OptionRanges.pathSteps

    func validate() throws {
        try OptionRanges.check(steps, in: Self.stepRange, "--steps")
    }

    func run() throws {
        let model = try CLIError.wrap { try WeightsFile.load(weights).model }
        let inference = Inference(model: model)
        var resolver = LatentPointResolver(inference: inference, latentDim: model.latentDim, dataOptions: dataOptions)
        let start = try resolver.code(from, option: "--from"), end = try resolver.code(to, option: "--to")
        try CLIError.wrap { try DecodedSheet.check(cells: steps, geometry: model.configuration.geometry) }
        let decoded = inference.decodeBatch(LatentPaths.interpolation(from: start.code, to: end.code, steps: steps))
        let sheet = LetterSheet.png(decoded, rows: 1, columns: steps, geometry: model.configuration.geometry)
        try CLIError.wrap { try AtomicFile.write(sheet.bytes, to: out, replacing: force ? .anything : .pngOnly) }
        print("Wrote \(steps) letters from \(start.name) to \(end.name) to \(out) (\(sheet.width)x\(sheet.height) pixels)")
    }
}
