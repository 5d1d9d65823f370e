import ArgumentParser
import Foundation
import LetterData
import Pictures
import VAE

struct WriteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "Write text in one handwriting with a conditional VAE: every letter decoded at the same style code.",
        discussion: """
            A conditional VAE (train --arch cvae) is told the letter; its latent code holds only the style \
            (slant, width, stroke, loops). This writes each character of the text with the model's class of \
            that name (the other case where the model merges them: 'H' as 'h'), all at one style code: \
            --style (default: the origin, the prior's most typical hand). A space is a gap and a newline, or \
            \\n as typed, starts a new line; any other character the model has no class for is refused. \
            A style that starts with a minus is written with an equals sign: --style=-1,0.5. \
            --out ending in .idx or .idx.gz writes the decoded letters themselves, in reading order.
            """)

    @Argument(help: "The text to write (letters of the model's classes, spaces, \\n for a new line).") var text: String
    @Option(help: ArgumentHelp("A conditional model's weights (e.g. Weights/letters-cvae-2d.safetensors).", valueName: "file"))
    var weights: String
    @Option(help: ArgumentHelp("The style: a latent code, one value per latent dimension (default: the origin).", valueName: "x,y"))
    var style: String?
    @OptionGroup var picture: PictureOptions

    /// One line of letters reads well larger than a sheet's tiles.
    static let defaultScale = 4

    func run() throws {
        let (model, _) = try CLIError.wrap { try WeightsFile.load(weights) }
        guard model.isConditional else {
            throw CLIError("\(weights) is an unconditional model (\(model.configuration.kind)): it cannot be told which letter to write; write needs a conditional VAE (train --arch cvae), e.g. Weights/letters-cvae-2d.safetensors")
        }
        let latentDim = model.latentDim
        let code = try styleCode(latentDim: latentDim)
        let layout = try CLIError.wrap { try HandwrittenText(text, classNames: model.classNames) }
        let classes = layout.letterClasses
        let geometry = model.configuration.geometry
        try CLIError.wrap { try DecodedSheet.check(cells: classes.count, geometry: geometry) }
        let points = Array(Array(repeating: code, count: classes.count).joined())
        let decoded = Inference(model: model).decodeBatch(points, classes: classes.map { Int32($0) })
        let letters = TilePicture.greyValues(decoded, geometry: geometry)
        let styleName = "(" + code.map { TilePicture.label($0) }.joined(separator: ", ") + ")"
        let drawing = layout.picture(title: "\(PictureOptions.fileName(weights)): written in the style \(styleName)",
                                     letters: letters, width: geometry.width, height: geometry.height)
        let written = try picture.write(drawing, defaultScale: Self.defaultScale)
        let lines = layout.lines.count
        print("Wrote \(classes.count) letters in \(lines) line\(lines == 1 ? "" : "s") in the style \(styleName) to \(picture.out) (\(written))")
    }

    /// `--style` as a latent code of `latentDim` values, or the origin.
    private func styleCode(latentDim: Int) throws -> [Float] {
        guard let style else { return [Float](repeating: 0, count: latentDim) }
        let values = style.split(separator: ",", omittingEmptySubsequences: false).map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard values.allSatisfy({ $0 != nil && $0!.isFinite }) else {
            throw ValidationError("--style takes a latent code of numbers, e.g. 0.5,-1.2 (a leading minus needs --style=-1,0)")
        }
        guard values.count == latentDim else {
            throw CLIError("--style \(style): \(weights) has \(latentDim) latent dimension\(latentDim == 1 ? "" : "s"), so the style is \(latentDim) number\(latentDim == 1 ? "" : "s")")
        }
        return values.map { $0! }
    }
}
