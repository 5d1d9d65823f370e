import ArgumentParser
import LetterData
import Pictures
import VAE

struct GridCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid",
        abstract: "Draw a plane of the latent space as a picture: an N x N grid of decoded letters over [-R, R]^2.",
        discussion: """
            The plane is that of two latent dimensions (--dims, numbered from 1), with the others held at 0 \
            or at the code (or test letter) given with --at. A 1-D model gives one row. The picture has a title, \
            the x values under the columns and the y values beside the rows; --out ending in .svg writes vector tiles. \
            A conditional VAE's plane holds the style: it draws one letter (--letter) in the style of each point.
            """)

    @Option(help: ArgumentHelp("The weights to draw.", valueName: "file")) var weights: String
    @OptionGroup var picture: PictureOptions
    @Option(help: "Letters per side.") var size = 20
    @Option(help: "Half-width of the square of the plane drawn.") var range: Float = 3
    @Option(help: ArgumentHelp("The two latent dimensions on the x and y axes, numbered from 1.", valueName: "x,y"))
    var dims: String = "1,2"
    @Option(help: ArgumentHelp("Where the other dimensions are held (default: all 0): a full latent code, or a test letter's index (needs --data).",
                               valueName: "code|index"))
    var at: LatentPoint?
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var letterOption: LetterOption

    func validate() throws {
        try OptionRanges.check(size, in: OptionRanges.gridSize, "--size")
        try OptionRanges.check(range, in: OptionRanges.latentRange, "--range")
        guard parsedDims != nil else { throw ValidationError("--dims takes two different dimension numbers, e.g. 3,7") }
    }

    private var parsedDims: (x: Int, y: Int)? {
        let parts = dims.split(separator: ",").compactMap { Int($0) }
        guard parts.count == 2, parts[0] != parts[1], parts.allSatisfy({ $0 >= 1 }) else { return nil }
        return (parts[0], parts[1])
    }

    func run() throws {
        let (model, metadata) = try LoadedWeights.load(weights)
        let inference = Inference(model: model)
        let (plane, anchorName) = try self.plane(of: inference)
        let letter = try letterOption.classIndex(for: model, weights: weights)
        let noun = ImageNoun(classNames: metadata.classes, datasetName: metadata.dataset)
        let count = size * LatentGridImage.rows(size: size, plane: plane)
        let geometry = model.configuration.geometry
        try CLIError.wrap { try DecodedSheet.check(cells: count, geometry: geometry) }
        let grid = StatusLine.run("Decoding \(count) \(noun.plural)…") {
            LatentGridImage.decode(inference, size: size, range: range, plane: plane, letter: letter?.index)
        }
        let x = "z\(plane.xDimension + 1)", y = plane.yDimension.map { "z\($0 + 1)" }
        let others = model.latentDim > 2 ? ", the other dimensions at \(anchorName)" : ""
        let axes = y.map { "\(x) across, \($0) up" } ?? x
        let drawn = letter.map { "'\($0.name)' in every style" } ?? "\(noun.plural) decoded"
        let picture = TilePicture(title: "\(PictureOptions.fileName(weights)): \(drawn), \(axes)\(others)", rows: grid.rows, columns: grid.columns,
                                  tileWidth: geometry.width, tileHeight: geometry.height,
                                  tiles: TilePicture.greyValues(grid.decoded, geometry: geometry),
                                  rowLabels: grid.yValues.map(TilePicture.label), columnLabels: grid.xValues.map(TilePicture.label),
                                  columnCaption: x + " →", rowCaption: y.map { $0 + " ↑" })
        let written = try self.picture.write(picture)
        let described = y.map { "dims \(plane.xDimension + 1),\($0.dropFirst())" } ?? "dim 1"
        let what = letter.map { "letters '\($0.name)'" } ?? noun.plural
        print("Wrote \(grid.columns)x\(grid.rows) \(what) over [-\(range), \(range)] of \(described) to \(self.picture.out) (\(written))")
    }

    /// The plane the grid shows (`--dims`, through `--at` or the origin) and the name of its anchor.
    private func plane(of inference: Inference) throws -> (LatentGridImage.Plane, anchorName: String) {
        let latentDim = inference.model.latentDim
        var plane = LatentGridImage.Plane.standard(latentDim: latentDim)
        if latentDim > 1, let dims = parsedDims {
            guard dims.x <= latentDim, dims.y <= latentDim else {
                throw CLIError("--dims \(dims.x),\(dims.y): \(weights) has \(latentDim) latent dimensions")
            }
            (plane.xDimension, plane.yDimension) = (dims.x - 1, dims.y - 1)
        }
        var anchorName = "the origin"
        if let at {
            var resolver = LatentPointResolver(inference: inference, latentDim: latentDim, dataOptions: dataOptions)
            (plane.anchor, anchorName) = try resolver.code(at, option: "--at")
        }
        return (plane, anchorName)
    }
}
