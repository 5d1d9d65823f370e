import ArgumentParser
import ExplorerCore
import FileFormats
import Foundation
import LetterData
import Support
import VAE

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare 1-4 models on one data set: likelihood, active units, k-NN, confusions, crowding.",
        discussion: """
            One row per model: the test negative ELBO (reconstruction + KL, β = 1), the negative \
            log-likelihood estimate from the importance-weighted bound (K samples), the active latent units \
            (dimensions whose posterior mean varies over the test set by more than 0.01), the k-NN accuracy \
            on latent means (training codes as references), the most confused pairs of the k-NN's confusion \
            matrix, and how crowded the space is: the mean silhouette of the test codes by class (1: tight, \
            separate classes; 0: overlapping, crowded; below 0: mixed up) and the between- over within-class \
            spread. Each model is scored on its own classes (the weight file's `classes`) and, when they \
            differ, all on the classes they share (when they share any). --out draws each model's latent grid and its test codes \
            side by side at one scale (SVG or PNG).
            """)

    @Argument(help: ArgumentHelp("The weight files to compare (1 to 4).", valueName: "file"))
    var weights: [String]
    @OptionGroup var dataOptions: DataOptions
    @Option(help: ArgumentHelp("Samples of z per image for the likelihood estimate (1: the ELBO).", valueName: "K"))
    var importanceSamples = 100
    @Option(help: "Neighbours that vote in the classifier.") var k = NearestNeighbours.defaultK
    @Option(help: "Most confused pairs listed per model.") var pairs = 3
    @Flag(help: "Print one JSON object instead of the table.") var json = false
    @Option(name: .shortAndLong, help: ArgumentHelp("Draw the grids and scatters to this file (.svg or .png).", valueName: "file"))
    var out: String?
    @Flag(help: "Replace --out even when it holds something other than a picture of its format, or lies in the shipped Weights/.")
    var force = false
    @Option(help: ArgumentHelp("Half-width of the plane drawn (default: what holds 98% of every model's codes).", valueName: "R"))
    var range: Float?

    static let modelCounts = 1 ... 4

    func validate() throws {
        guard Self.modelCounts.contains(weights.count) else { throw ValidationError("compare takes 1 to 4 weight files") }
        try OptionRanges.check(importanceSamples, in: OptionRanges.importanceSamples, "--importance-samples")
        try OptionRanges.check(k, in: OptionRanges.neighbours, "--k")
        try OptionRanges.check(pairs, in: OptionRanges.confusedPairs, "--pairs")
        if let range { try OptionRanges.check(range, in: OptionRanges.latentRange, "--range") }
        if let out {
            guard let format = ComparisonOutput.Format(path: out) else { throw ValidationError("--out must name a .svg or .png file") }
            // Before the models are scored: a figure that could not be written is refused now.
            try CLIError.wrap { try AtomicFile.checkWritable(out, bytes: 0, policy: .output(format.outputKind, force: force)) }
        }
    }

    func run() throws {
        let loaded = try weights.map { path in try LoadedWeights.load(path) }
        for model in loaded.map(\.model) { try CLIError.wrap { try model.configuration.checkFits(ImageSet.geometry) } }
        let dataset = try StatusLine.run("Loading the data…") { try dataOptions.load() }
        let classes = try ComparedClasses(weights: weights, loaded: loaded, dataset: dataset)
        let rows = try score(loaded, classes: classes, dataset: dataset)
        let output = ComparisonOutput(dataset: dataset, rows: rows, sharedClasses: classes.shared, separate: classes.separate,
                                      importanceSamples: importanceSamples, k: k, pairs: pairs)
        print(json ? try output.json() : output.table())
        if let out { try writeFigure(output, to: out) }
    }

    /// Which classes each model is scored on.
    private struct ComparedClasses {
        /// Each model's own classes: those its file names that the data has (all of the data's when the
        /// file names none, as files from elsewhere do).
        let own: [[String]]
        /// The classes every model knows, in the data's label order.
        let shared: [String]
        /// Models of disjoint classes (letters and digits on a mixed set) are each scored on their
        /// own classes, and again on the shared ones.
        let separate: Bool

        init(weights: [String], loaded: [(model: VAEModel, metadata: ModelMetadata)], dataset: LabelledDataset) throws {
            let all = dataset.labelsPresent.map(dataset.className)
            let available = Set(all)
            own = try zip(weights, loaded).map { path, entry in
                guard !entry.metadata.classes.isEmpty else { return all }
                let mine = entry.metadata.classes.filter(available.contains)
                guard !mine.isEmpty else {
                    throw CLIError("\(path) was trained on \(TextSanitizer.list(entry.metadata.classes, separator: " ", limit: 200)), none of which \(dataset.name) holds")
                }
                return mine
            }
            let common = own.dropFirst().reduce(Set(own[0])) { $0.intersection($1) }
            shared = all.filter(common.contains)
            separate = !shared.isEmpty && own.contains { Set($0) != common }
        }
    }

    /// Each model's report on its own classes (and on the shared ones when they differ), with a
    /// status line on standard error saying which model, which measure and how far.
    private func score(_ loaded: [(model: VAEModel, metadata: ModelMetadata)], classes: ComparedClasses, dataset: LabelledDataset) throws -> [ComparisonOutput.Row] {
        func scored(on names: [String]) throws -> LabelledDataset {
            let restricted = try CLIError.wrap { try dataset.restricted(toClassNames: names) }
            guard restricted.test.count > 0 else { throw CLIError("\(dataset.name) has no test images of \(names.joined(separator: " "))") }
            return restricted
        }
        return try StatusLine.run("Scoring") { status in
            try loaded.enumerated().map { index, entry in
                func measure(on names: [String], _ which: String) throws -> LatentSpaceReport {
                    let data = try scored(on: names)
                    return try CLIError.wrap {
                        try LatentSpaceReport.measure(model: entry.model, dataset: data, importanceSamples: importanceSamples, k: k) { what, done, total in
                            status.update("Scoring model \(index + 1) of \(loaded.count)\(which): \(what)…", done: done, of: total)
                        }
                    }
                }
                let ownReport = try measure(on: classes.own[index], "")
                let sharedReport = classes.separate ? try measure(on: classes.shared, " on the shared classes") : ownReport
                return ComparisonOutput.Row(path: weights[index], model: entry.model, metadata: entry.metadata,
                                            own: ownReport, shared: sharedReport)
            }
        }
    }

    private func writeFigure(_ output: ComparisonOutput, to out: String) throws {
        let requested = range
        let (range, written) = try StatusLine.run("Drawing \(out)…") { try output.writeFigure(to: out, range: requested, force: force) }
        if !json { print("Wrote \(written) to \(out): each model's grid and test codes over [-\(String(format: "%.2g", range)), \(String(format: "%.2g", range))]²") }
    }
}
