import ArgumentParser
import Foundation
import LetterData

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Compare two data sets' letters: ink, size, position, stroke width, slant, brightness.",
        discussion: """
            Measures every image of one split of --data and of --against (default: the synthetic letters) \
            and prints each measure's mean, standard deviation and 10th/50th/90th percentiles side by side. \
            --markdown prints the table the README shows.
            """)

    @OptionGroup var dataOptions: DataOptions
    @Option(help: ArgumentHelp("The data set to compare with (a folder, or 'synthetic').", valueName: "dir"))
    var against = "synthetic"
    @Option(help: "Which split to measure: train or test.") var split = "train"
    @Flag(help: "Print a Markdown table.") var markdown = false
    @Flag(help: "Also print, for each class, the mean of each measure in both data sets.") var byClass = false
    @Flag(help: "Also estimate the share of each letter form (capital, single-storey a, bar...) in both data sets.")
    var forms = false

    func validate() throws {
        guard ["train", "test"].contains(split) else { throw ValidationError("--split must be train or test") }
    }

    func run() throws {
        let first = try dataOptions.load()
        let second = try StatusLine.run("Loading \(against)…") {
            try CLIError.wrap { try DataSelection(source: DataSource.resolve(against, emnistSplit: dataOptions.emnistSplit)).load() }
        }
        func chosen(_ dataset: LabelledDataset) -> ImageSet { split == "train" ? dataset.train : dataset.test }
        /// Runs `measure` on both data sets' split under a status line naming what is measured.
        func measured<T>(_ what: String, _ measure: (ImageSet) -> T) -> (T, T) {
            StatusLine.run("Measuring \(what)…") { line in
                let one = measure(chosen(first))
                line.update("Measuring \(what)…", done: 1, of: 2)
                return (one, measure(chosen(second)))
            }
        }
        let sizes = "\(chosen(first).count) + \(chosen(second).count) \(split) images"
        let statistics = measured(sizes) { LetterStatistics($0) }
        print(StatisticsTable.render([(first.name, statistics.0), (second.name, statistics.1)], split: split, markdown: markdown))
        if byClass {
            let perClass = measured(sizes + " by class") { LetterStatistics.byLabel($0) }
            print("")
            print(StatisticsTable.renderByClass((first.name, perClass.0), (second.name, perClass.1),
                                                className: first.className, markdown: markdown))
        }
        if forms {
            let census = measured("the letter forms of " + sizes) { LetterFormCensus($0) }
            print("")
            print(StatisticsTable.renderForms((first.name, census.0), (second.name, census.1), markdown: markdown))
        }
    }
}
