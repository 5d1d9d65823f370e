import ArgumentParser
import LetterData
import Pictures
import VAE

struct TraverseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traverse",
        abstract: "Draw a latent traversal as a picture: one row per latent dimension, each swept from -R to R.",
        discussion: """
            Each row holds the other dimensions at the point given with --at (a latent code such as \
            0.5,-1.2, or a test letter's index, which needs --data; default: all 0) and sweeps its own \
            dimension evenly from -R to R. Rows go from dimension 1 down, or follow --dims. A code that \
            starts with a minus is written with an equals sign: --at=-1,0.5. Rows are labelled with their dimension \
            (z1, z2, ...) and columns with the value swept, in prior standard deviations (σ, as the prior is N(0, 1)). \
            With --data, each row also shows σ, the spread of the test letters' codes along that dimension: \
            near 0 for a dimension the model leaves unused.
            """)

    @OptionGroup var dataOptions: DataOptions
    @Option(help: ArgumentHelp("The weights to decode with.", valueName: "file")) var weights: String
    @Option(help: ArgumentHelp("The point whose dimensions are swept: a latent code or a test-letter index.", valueName: "point"))
    var at: LatentPoint?
    @Option(help: ArgumentHelp("The dimensions to sweep, numbered from 1 (default: all).", valueName: "d1,d2,...")) var dims: String?
    @Option(help: "Letters per row, both ends included.") var steps = 11
    @Option(help: "Each dimension runs from -range to range.") var range: Float = 3
    @OptionGroup var picture: PictureOptions
    @OptionGroup var letterOption: LetterOption

    static let stepRange = OptionRanges.pathSteps

    func validate() throws {
        try OptionRanges.check(steps, in: Self.stepRange, "--steps")
        try OptionRanges.check(range, in: OptionRanges.latentRange, "--range")
        if let dims, parse(dims) == nil { throw ValidationError("--dims takes dimension numbers from 1, e.g. 1,4,7") }
    }

    private func parse(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
        return parts.map { $0! }
    }

    func run() throws {
        let (model, metadata) = try LoadedWeights.load(weights)
        let latentDim = model.latentDim
        let inference = Inference(model: model)
        let letter = try letterOption.classIndex(for: model, weights: weights)
        var resolver = LatentPointResolver(inference: inference, latentDim: latentDim, dataOptions: dataOptions)
        let base = try at.map { try resolver.code($0, option: "--at") } ?? (code: [Float](repeating: 0, count: latentDim), name: "the origin")
        let rows = dims.flatMap(parse).map { $0.map { $0 - 1 } } ?? Array(0 ..< latentDim)
        if let outside = rows.first(where: { $0 >= latentDim }) {
            throw CLIError("--dims \(outside + 1): the model has \(latentDim) latent dimensions")
        }
        let noun = ImageNoun(classNames: metadata.classes, datasetName: metadata.dataset)
        let geometry = model.configuration.geometry
        try CLIError.wrap { try DecodedSheet.check(cells: rows.count * steps, geometry: geometry) }
        var points: [Float] = []
        for dimension in rows { points += LatentPaths.traversal(of: base.code, dimension: dimension, range: range, steps: steps) }
        let decoded = StatusLine.run("Decoding \(rows.count * steps) \(noun.plural)…") {
            inference.decodeBatch(points, classes: letter.map { [Int32](repeating: $0.index, count: rows.count * steps) })
        }
        let spread = try testSpread(of: rows, resolver: &resolver, inference: inference)
        // The swept values, in units of the prior's σ = 1.
        let values = (0 ..< steps).map { LatentPaths.sweepValue($0, of: steps, range: range) }
        let picture = TilePicture(title: "\(PictureOptions.fileName(weights)): \(letter.map { "'\($0.name)', " } ?? "")each dimension swept at \(base.name)",
                                  rows: rows.count, columns: steps, tileWidth: geometry.width, tileHeight: geometry.height,
                                  tiles: TilePicture.greyValues(decoded, geometry: geometry),
                                  rowLabels: spread.rowLabels,
                                  columnLabels: values.map { $0 == 0 ? "0" : TilePicture.label($0) + "σ" },
                                  columnCaption: "value of the row's dimension →")
        let written = try self.picture.write(picture)
        print("Wrote \(rows.count) rows of \(steps) \(noun.plural), each dimension from -\(range) to \(range) at \(base.name), to \(self.picture.out) (\(written))\(spread.note)")
    }

    /// The rows' labels (`z3`), with how far the named test set's codes spread along each dimension
    /// when `--data` names one (`z3 σ=0.98`), and that spread for the closing line.
    private func testSpread(of rows: [Int], resolver: inout LatentPointResolver,
                            inference: Inference) throws -> (rowLabels: [String], note: String) {
        guard let test = try resolver.namedTestSet() else { return (rows.map { "z\($0 + 1)" }, "") }
        let testNoun = ImageNoun(classNames: Array(test.classNames.values))
        let classes = try resolver.classes(of: test.images, classNames: test.classNames)
        let codes = StatusLine.run("Encoding \(test.images.count) test \(testNoun.plural)…") { inference.encodeMeans(test.images, classes: classes) }
        let spread = Self.standardDeviations(codes, latentDim: inference.model.latentDim)
        return (rows.map { "z\($0 + 1) σ=\(TilePicture.label(spread[$0]))" },
                "; σ of the \(test.images.count) test \(testNoun.plural)' codes: "
                    + rows.map { "z\($0 + 1) \(String(format: "%.2f", spread[$0]))" }.joined(separator: ", "))
    }

    /// The standard deviation of each latent dimension over `codes` (`count x latentDim`, row-major):
    /// how far the data's codes spread along it. About 1 for a dimension the model uses (the prior is
    /// N(0, 1)), near 0 for one it leaves unused, where every letter gets the same value.
    static func standardDeviations(_ codes: [Float], latentDim: Int) -> [Float] {
        ActiveUnits.variances(codes: codes, dimension: latentDim).map { Float($0.squareRoot()) }
    }
}
