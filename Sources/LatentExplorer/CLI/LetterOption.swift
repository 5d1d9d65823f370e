import ArgumentParser
import Pictures
import VAE

/// `--letter`: which class a conditional model's decoder is told, for the pictures that decode points
/// (`grid`, `interpolate`, `traverse`). A conditional VAE's plane holds the style; each picture shows
/// one letter in the styles of its points.
struct LetterOption: ParsableArguments {
    @Option(help: ArgumentHelp("A conditional model (--arch cvae): the letter to draw in every style (default: its first class).",
                               valueName: "letter"))
    var letter: String?

    /// The class index to decode with (nil for an unconditional model) and its name. Refuses `--letter`
    /// for an unconditional model, and a letter the model has no class for.
    func classIndex(for model: VAEModel, weights: String) throws -> (index: Int32, name: String)? {
        guard model.isConditional else {
            if letter != nil {
                throw CLIError("--letter: \(weights) is an unconditional model (\(model.configuration.kind)); its plane holds every letter at once")
            }
            return nil
        }
        guard let letter else { return (0, model.classNames[0]) }
        guard letter.count == 1, let index = HandwrittenText.classIndex(of: letter.first!, in: model.classNames) else {
            throw CLIError("--letter \(letter): the model's classes are \(model.classNames.joined(separator: " "))")
        }
        return (Int32(index), model.classNames[index])
    }
}
