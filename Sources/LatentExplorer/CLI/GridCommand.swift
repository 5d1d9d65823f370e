import ArgumentParser
import VAE

struct GridCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid",
        abstract: "Draw the latent plane as a PNG: an N x N grid of decoded letters over [-R, R]^2.")

    @Option(help: ArgumentHelp("The weights to draw (2-D latent space).", valueName: "file")) var weights: String
    @Option(name: .shortAndLong, help: ArgumentHelp("The PNG file to write.", valueName: "file")) var out: String
    @Option(help: "Letters per side.") var size = 20
    @Option(help: "Half-width of the square of the plane drawn.") var range: Float = 3

    func validate() throws {
        guard (1 ... 200).contains(size) else { throw ValidationError("--size must be between 1 and 200") }
        guard range > 0 && range.isFinite else { throw ValidationError("--range must be positive") }
    }

    func run() throws {
        let model = try CLIError.wrap { try WeightsFile.load(weights).model }
        guard model.architecture.latentDim == 2 else {
            throw CLIError("\(weights) has a \(model.architecture.latentDim)-D latent space; the grid needs 2-D")
        }
        let (side, pixels) = LatentGridImage.render(Inference(model: model), size: size, range: range)
        try CLIError.wrap { try AtomicFile.write(PNGEncoder.encodeGray(width: side, height: side, pixels: pixels), to: out) }
        print("Wrote \(size)x\(size) letters over [-\(range), \(range)]² to \(out) (\(side)x\(side) pixels)")
    }
}
