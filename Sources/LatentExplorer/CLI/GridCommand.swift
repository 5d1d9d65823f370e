import ArgumentParser
import VAE

struct GridCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid",
        abstract: "Draw a plane of the latent space as a PNG: an N x N grid of decoded letters over [-R, R]^2.",
        discussion: """
            The plane is that of two latent dimensions (--dims, numbered from 1), with the others held at 0 \
            or at the code (or test letter) given with --at. A 1-D model gives one row.
            """)

    @Option(help: ArgumentHelp("The weights to draw.", valueName: "file")) var weights: String
    @Option(name: .shortAndLong, help: ArgumentHelp("The PNG file to write.", valueName: "file")) var out: String
    @Flag(help: "Replace --out even when it holds something other than a PNG picture.") var force = false
    @Option(help: "Letters per side.") var size = 20
    @Option(help: "Half-width of the square of the plane drawn.") var range: Float = 3
    @Option(help: ArgumentHelp("The two latent dimensions on the x and y axes, numbered from 1.", valueName: "x,y"))
    var dims: String = "1,2"
    @Option(help: ArgumentHelp("Where the other dimensions are held (default: all 0): a full latent code, or a test letter's index (needs --data).",
                               valueName: "code|index"))
    var at: LatentPoint?
    @OptionGroup var dataOptions: DataOptions

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
        let model = try CLIError.wrap { try WeightsFile.load(weights).model }
        let latentDim = model.latentDim
        var plane = LatentGridImage.Plane.standard(latentDim: latentDim)
        if latentDim > 1, let dims = parsedDims {
            guard dims.x <= latentDim, dims.y <= latentDim else {
                throw CLIError("--dims \(dims.x),\(dims.y): \(weights) has \(latentDim) latent dimensions")
            }
            (plane.xDimension, plane.yDimension) = (dims.x - 1, dims.y - 1)
        }
        let inference = Inference(model: model)
        if let at {
            var resolver = LatentPointResolver(inference: inference, latentDim: latentDim, dataOptions: dataOptions)
            plane.anchor = try resolver.code(at, option: "--at").code
        }
        try CLIError.wrap {
            try DecodedSheet.check(cells: size * LatentGridImage.rows(size: size, plane: plane), geometry: model.configuration.geometry)
        }
        let image = LatentGridImage.render(inference, size: size, range: range, plane: plane)
        try CLIError.wrap {
            try AtomicFile.write(PNGEncoder.encodeGray(width: image.width, height: image.height, pixels: image.pixels), to: out, replacing: force ? .anything : .pngOnly)
        }
        let axes = plane.yDimension.map { "dims \(plane.xDimension + 1),\($0 + 1)" } ?? "dim 1"
        print("Wrote \(size)x\(plane.yDimension == nil ? 1 : size) letters over [-\(range), \(range)] of \(axes) to \(out) (\(image.width)x\(image.height) pixels)")
    }
}
