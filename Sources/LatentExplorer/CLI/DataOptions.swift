import ArgumentParser
import LetterData

extension EMNISTSplit: ExpressibleByArgument {}
extension DataSelection.TestSplit: ExpressibleByArgument {}

/// The options every command that reads a data set shares.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A data set folder (EMNIST IDX or CSV, MNIST, Fashion-MNIST), 'synthetic', or several joined by '+'.",
        discussion: """
            Defaults to $EMNIST_DIR, then to the built-in synthetic letters. 'synthetic+DIR' mixes the \
            synthetic letters with a real folder: their training splits are joined, and so are their test splits.
            """, valueName: "dir"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp(
        "Which EMNIST data set to read from a folder that holds several (default: letters, else the first found).",
        valueName: EMNISTSplit.allCases.map(\.rawValue).joined(separator: "|")))
    var emnistSplit: EMNISTSplit?

    @Option(name: .long, help: ArgumentHelp(
        "The test split: all test images, or only the held-out or the validation part of each real folder's test split.",
        discussion: """
            The parts are fixed for every folder: per class, after a shuffle seeded by the class, a quarter \
            (rounded up) is held out, a tenth validates, the rest may be trained on (--train-on-real-test).
            """, valueName: "all|heldout|validation"))
    var testSplit: DataSelection.TestSplit = .all

    @Flag(help: "Also train on each real folder's test letters that are neither held out nor validation.")
    var trainOnRealTest = false

    @Option(help: ArgumentHelp("Put each real training letter this many times into the training split.", valueName: "n"))
    var realRepeat = 1

    @Flag(help: "Make each repeat of a real letter after the first a randomly distorted copy (rotated, sheared, scaled, shifted a little).")
    var distortRealRepeats = false

    @Flag(help: ArgumentHelp("Repeat each real class's letters so that every class has as many as the largest (times --real-repeat).",
                             discussion: "For a real folder whose classes are uneven, such as the partial EMNIST letters (n-z scarce)."))
    var balanceRealClasses = false

    @Option(name: .long, help: ArgumentHelp("Keep only these classes, e.g. 'aeiou' for the vowels.", valueName: "letters"))
    var letters: String?

    var source: DataSource { DataSource.resolve(data, emnistSplit: emnistSplit) }

    func validate() throws {
        try OptionRanges.check(realRepeat, in: DataSelection.realRepeatRange, "--real-repeat")
    }

    var selection: DataSelection {
        DataSelection(source: source, testSplit: testSplit, trainOnRealTest: trainOnRealTest, realRepeat: realRepeat,
                      distortRepeats: distortRealRepeats, balanceClasses: balanceRealClasses)
    }

    /// Loads the data set and applies `--letters`; failures become one-line errors.
    func load() throws -> LabelledDataset {
        let full = try StatusLine.run("Loading \(data ?? "the data set")…") { try CLIError.wrap { try selection.load() } }
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
