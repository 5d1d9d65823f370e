import ArgumentParser
import VAE

struct TraverseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traverse",
        abstract: "Draw a latent traversal as a PNG: one row per latent dimension, each swept from -R to R.",
        discussion: """
            Each row holds the other dimensions at the point given with --at (a latent code such as \
            0.5,-1.2, or a test letter's index, which needs --data; default: all 0) and sweeps its own \
            dimension evenly from -R to R. Rows go from dimension 1 down, or follow --dims. A code that \
            starts with a minus is written with an equals sign: --at=-1,0.5.
            """)

    @OptionGroup var dataOptions: DataOptions
    @Option(help: ArgumentHelp("The weights to decode with.", valueName: "file")) var weights: String
    @Option(help: ArgumentHelp("The point whose dimensions are swept: a latent code or a test-letter index.", valueName: "point"))
    var at: LatentPoint?
    @Option(help: ArgumentHelp("The dimensions to sweep, numbered from 1 (default: all).", valueName: "d1,d2,...")) var dims: String?
    @Option(help: "Letters per row, both ends included.") var steps = 11
    @Option(help: "Each dimension runs from -range to range.") var range: Float = 3
    @Option(name: .shortAndLong, help: ArgumentHelp("The PNG file to write.", valueName: "file")) var out: String
    @Flag(help: "Replace --out even when it holds something other than a PNG picture.") var force = false

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
        let model = try CLIError.wrap { try WeightsFile.load(weights).model }
        let latentDim = model.latentDim
        let inference = Inference(model: model)
        var resolver = LatentPointResolver(inference: inference, latentDim: latentDim, dataOptions: dataOptions)
        let base = try at.map { try resolver.code($0, option: "--at") } ?? (code: [Float](repeating: 0, count: latentDim), name: "the origin")
        let rows = dims.flatMap(parse).map { $0.map { $0 - 1 } } ?? Array(0 ..< latentDim)
        if let outside = rows.first(where: { $0 >= latentDim }) {
            throw CLIError("--dims \(outside + 1): the model has \(latentDim) latent dimensions")
        }
        try CLIError.wrap { try DecodedSheet.check(cells: rows.count * steps, geometry: model.configuration.geometry) }
        var points: [Float] = []
        for dimension in rows { points += LatentPaths.traversal(of: base.code, dimension: dimension, range: range, steps: steps) }
        let sheet = LetterSheet.png(inference.decodeBatch(points), rows: rows.count, columns: steps, geometry: model.configuration.geometry)
        try CLIError.wrap { try AtomicFile.write(sheet.bytes, to: out, replacing: force ? .anything : .pngOnly) }
        print("Wrote \(rows.count) rows of \(steps) letters, each dimension from -\(range) to \(range) at \(base.name), to \(out) (\(sheet.width)x\(sheet.height) pixels)")
    }
}
