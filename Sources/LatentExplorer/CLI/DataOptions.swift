import ArgumentParser
import VAE

/// The options every command that reads a data set shares.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A data set folder (EMNIST letters IDX or CSV, MNIST, Fashion-MNIST), or 'synthetic'.",
        discussion: "Defaults to $EMNIST_DIR, then to the built-in synthetic letters.", valueName: "dir"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp("Keep only these classes, e.g. 'aeiou' for the vowels.", valueName: "letters"))
    var letters: String?

    var source: DataSource { DataSource.resolve(data) }

    /// Loads the data set and applies `--letters`; failures become one-line errors.
    func load() throws -> LabelledDataset {
        let full = try CLIError.wrap { try source.load() }
        var dataset = full
        var filter = ""
        if let letters, !letters.isEmpty {
            dataset = try CLIError.wrap { try full.restricted(toClassNames: letters.map { String($0) }) }
            let present = Set(full.train.labels).intersection(full.test.labels).sorted().map(full.className)
            filter = " after --letters \(letters) (classes with images in both splits: \(present.joined(separator: " ")))"
        }
        guard dataset.train.count > 0 else { throw CLIError("\(dataset.name): the training split holds no images\(filter)") }
        guard dataset.test.count > 0 else { throw CLIError("\(dataset.name): the test split holds no images\(filter)") }
        return dataset
    }
}
