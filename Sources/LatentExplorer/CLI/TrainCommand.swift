import ArgumentParser
import FileFormats
import Foundation
import Support
import LetterData
import VAE

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a VAE and save its weights (safetensors).",
        discussion: "This command prints training progress like Keras' fit, from a thread of its own while it trains. The weights kept are those of the epoch with the best loss on a validation part held out of the training split (stratified by class); the test split only scores the result.")

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "Maximum number of epochs.") var epochs = TrainingConfiguration.defaultEpochs
    @Option(help: "Images per mini-batch.") var batchSize = TrainingConfiguration.defaultBatchSize
    @Option(help: "Adam's learning rate.") var learningRate = TrainingConfiguration.defaultLearningRate
    @Option(help: "Epochs without a better validation loss before stopping early.") var patience = TrainingConfiguration.defaultPatience
    @Option(help: ArgumentHelp(
        "The part of each class of the training split held out to choose the best epoch.",
        discussion: "Data sets that bring validation images (--train-on-real-test) use those instead. 0 trains on the whole training split for exactly --epochs, without validation, and keeps the last weights.",
        valueName: "fraction"))
    var validationSplit = TrainingConfiguration.defaultValidationFraction
    @Option(help: "Seed for initialisation, the validation split, shuffling and sampling.") var seed = TrainingConfiguration.defaultSeed
    @Option(help: ArgumentHelp(
        "β, the weight of the KL term in the training objective (reconstruction + β KL), 0-1000.",
        discussion: "1 is the true negative ELBO. Larger presses the codes towards the prior, smaller lets them spread. The test score printed and saved is the true negative ELBO whatever β.",
        valueName: "B"))
    var beta: Double = VAEObjective.elbo.klWeight
    @Option(name: .customLong("kl-warmup"), help: ArgumentHelp(
        "Epochs over which the KL term's weight rises from 0 to β (default: 0, β from the start).",
        discussion: "The weight grows linearly batch by batch, so the codes learn to carry something before the KL term presses them to the prior. The epoch kept is chosen on the validation objective at β itself.",
        valueName: "epochs"))
    var klWarmup = 0
    @Option(name: .customLong("lr-plateau"), help: ArgumentHelp(
        "Epochs without a better validation loss before the learning rate is cut by --lr-factor (default: 0, a constant rate).",
        discussion: "Reduce-on-plateau: each time this many epochs in a row bring no better validation loss, the rate is multiplied by --lr-factor. Early stopping (--patience) counts on its own, from the best epoch, so set this below --patience. Needs a validation part; the weights record the schedule and the epochs it cut at.",
        valueName: "epochs"))
    var lrPlateau = 0
    @Option(name: .customLong("lr-factor"), help: ArgumentHelp(
        "What each cut of --lr-plateau multiplies the learning rate by.", valueName: "factor"))
    var lrFactor = LearningRateSchedule.defaultFactor
    @Option(help: ArgumentHelp("Start from these weights instead of a fresh model (--arch and sizes are then theirs).",
                               valueName: "file")) var weights: String?
    @Option(name: .shortAndLong, help: ArgumentHelp("Where to save the weights.", valueName: "file")) var out: String
    @Flag(help: "Replace --out even when it holds something other than a weights file, or lies in the shipped Weights/.") var force = false

    func validate() throws {
        try OptionRanges.check(epochs, in: OptionRanges.epochs, "--epochs")
        try OptionRanges.check(batchSize, in: OptionRanges.batchSize, "--batch-size")
        try OptionRanges.check(learningRate, in: OptionRanges.learningRate, "--learning-rate")
        try OptionRanges.check(patience, in: OptionRanges.patience, "--patience")
        try OptionRanges.check(klWarmup, in: OptionRanges.klWarmup, "--kl-warmup")
        try OptionRanges.check(lrPlateau, in: OptionRanges.learningRatePlateau, "--lr-plateau")
        try OptionRanges.check(lrFactor, in: OptionRanges.learningRateFactor, "--lr-factor")
        if lrPlateau > 0 && validationSplit == 0 {
            throw ValidationError("--lr-plateau watches the validation loss, and --validation-split 0 trains without one")
        }
        guard OptionRanges.validationSplit.contains(validationSplit) else {
            throw ValidationError("--validation-split must be at least 0 and below 1, not \(validationSplit)")
        }
        // β's range is the objective's own check, said with the option's name.
        do { try objective.validate() } catch let ModelError.invalidConfiguration(reason) { throw ValidationError("--beta: \(reason)") }
    }

    private var objective: VAEObjective { VAEObjective(klWeight: beta) }

    /// The batch size is the trainer's choice (`Trainer.batchSize`): it cuts `--batch-size` to the
    /// training images and to the memory budget, and the progress printer says so.
    private var trainingConfiguration: TrainingConfiguration {
        TrainingConfiguration(epochs: epochs, batchSize: batchSize, learningRate: learningRate, patience: patience,
                              validationFraction: validationSplit, seed: seed, snapshotInterval: 0, objective: objective,
                              klWarmupEpochs: klWarmup, learningRateSchedule: schedule)
    }

    private var schedule: LearningRateSchedule { LearningRateSchedule(plateauEpochs: lrPlateau, factor: lrFactor) }

    func run() throws {
        let (model, dataset) = try loadModelAndData()
        let trainer = Trainer(model: model, dataset: dataset, configuration: trainingConfiguration)
        // Ctrl-C is caught before the first line: whoever sees "Training …" can interrupt and be heard.
        let interruption = stopOnInterrupt(trainer.control)
        printIntroduction(model, dataset)
        let outcome = trainPrintingProgress(trainer)
        try checkWorthSaving(outcome, model: model, interruption: interruption)
        let test = scoreTest(model, dataset, classMap: trainer.classMap)
        let metadata = metadata(model, dataset, outcome: outcome, test: test)
        try CLIError.wrap { try WeightsFile.save(model, metadata: metadata, to: out, force: force) }
        interruption.uninstall()
        try reportSaved(outcome, interruption: interruption)
    }

    /// The model (from `--weights` or new) and the data, each checked before the next is loaded: a
    /// model of other images is refused at once, naming both sizes, and so is an output that could not
    /// be written; a conditional model must know the data's classes.
    private func loadModelAndData() throws -> (VAEModel, LabelledDataset) {
        let loaded = try weights.map { path in try CLIError.wrap { try WeightsFile.load(path).model } }
        let requested = loaded?.configuration ?? modelOptions.configuration
        try CLIError.wrap { try requested.checkFits(ImageSet.geometry) }
        try checkWritable(out, parameterCount: loaded?.parameterCount ?? requested.parameterCount ?? 0)
        let dataset = try dataOptions.load()
        let model = try loaded ?? newModel(requested, classesOf: dataset)
        _ = try CLIError.wrap { try ClassMap(model: model, dataset: dataset) }
        return (model, dataset)
    }

    private func printIntroduction(_ model: VAEModel, _ dataset: LabelledDataset) {
        print("Training \(model.configuration) (\(model.parameterCount) parameters) on \(dataset.name): \(dataset.train.count) train, \(dataset.test.count) test images, \(dataset.labelsPresent.count) classes")
        if let note = dataset.note { print("Note: \(note)") }
        if objective != .elbo {
            print("Objective: reconstruction + β KL with \(objective); losses printed are the true negative ELBO (β = 1), the epoch is chosen on the validation objective")
        }
        if klWarmup > 0 {
            print("KL warm-up: β rises from 0 to \(VAEObjective.format(beta)) over the first \(klWarmup) epochs; the epoch is chosen on the validation objective at β = \(VAEObjective.format(beta))")
        }
        if !schedule.isConstant {
            print("Learning rate: \(LearningRateSchedule.format(learningRate)), \(schedule.summary); early stopping still after \(patience) epochs without one")
        }
    }

    /// The first Ctrl-C or SIGTERM stops training after the current batch, to save the best weights so far.
    private func stopOnInterrupt(_ control: TrainingControl) -> InterruptHandling {
        let interruption = InterruptHandling(secondMessage: "Nothing was saved; \(out) is as it was.") { signal in
            FileHandle.printError("\n\(InterruptHandling.name(of: signal)): stopping after this batch to save the best weights so far (press Ctrl-C again to quit without saving)")
            control.stop()
        }
        interruption.install()
        return interruption
    }

    /// Trains on this thread (the model stays here, to be saved) while the events print on a thread of their own.
    private func trainPrintingProgress(_ trainer: Trainer) -> TrainingOutcome {
        fflush(nil)   // (every output stream) the lines above reach a piped log now, not at the end of the first epoch
        let channel = trainer.channel
        let printing = JoinableThread(name: "progress", stackSize: ProgressPrinter.threadStackSize) {
            let printer = ProgressPrinter()
            while let event = channel.next() { printer.handle(event) }
        }
        let outcome = trainer.run()
        printing.join()
        return outcome
    }

    /// Why training stopped when the loss diverged, or nil.
    private static func divergence(_ outcome: TrainingOutcome) -> String? {
        if case .diverged(let message) = outcome.reason { return "training stopped: \(message)" }
        return nil
    }

    /// Weights no epoch has validated (the initial ones), or that hold NaN, are not worth replacing a
    /// file with: one line, and the exit status of the signal when one stopped the run.
    private func checkWorthSaving(_ outcome: TrainingOutcome, model: VAEModel, interruption: InterruptHandling) throws {
        guard outcome.bestEpoch > 0 else {
            let why = interruption.received.map { "interrupted by \(InterruptHandling.name(of: $0)) before the first epoch ended" }
                ?? Self.divergence(outcome) ?? "no epoch improved on the initial weights"
            guard let signal = interruption.received else { throw CLIError("\(why); nothing saved, \(out) is as it was") }
            FileHandle.printError("\(why); nothing saved, \(out) is as it was")
            throw ExitCode(InterruptHandling.exitStatus(for: signal))
        }
        guard model.tensors().values.allSatisfy({ $0.values.allSatisfy(\.isFinite) }) else {
            throw CLIError("the weights hold NaN or infinite values; nothing saved, \(out) is as it was")
        }
    }

    /// The true negative ELBO on the test split, printed.
    private func scoreTest(_ model: VAEModel, _ dataset: LabelledDataset, classMap: ClassMap) -> LossParts {
        let test = Inference(model: model).negativeELBO(dataset.test, classes: classMap.indices(of: dataset.test), seed: 0)
        let bounded = model.isConditional ? "; it bounds -log p(x | class)" : ""
        print(String(format: "Test neg ELBO %.2f nats per image (reconstruction %.2f + KL %.2f, β = 1) on %d test images%@",
                     test.total, test.reconstruction, test.kl, dataset.test.count, bounded))
        return test
    }

    private func metadata(_ model: VAEModel, _ dataset: LabelledDataset, outcome: TrainingOutcome, test: LossParts) -> ModelMetadata {
        // A class filter is named in the data set's description and kept on its own for programs.
        let classFilter = dataOptions.letters.flatMap { $0.isEmpty ? nil : $0 }
        return ModelMetadata(
            configuration: model.configuration, dataset: dataset.name + (classFilter.map { ", classes \($0)" } ?? ""),
            classes: dataset.labelsPresent.map(dataset.className), epochs: outcome.bestEpoch,
            selection: outcome.bestValidation == nil ? .lastEpoch : .bestValidation(on: validationDescription(dataset)),
            validationLoss: outcome.bestValidation, testLoss: test,
            trainedAt: ISO8601DateFormatter().string(from: Date()),
            objective: VAEObjective(likelihood: objective.likelihood, klWeight: outcome.klWeight), dataNote: dataset.note,
            classFilter: classFilter, learningRateSchedule: scheduleRecord(outcome))
    }

    /// The schedule as the weights record it, with the epochs it cut the rate after and the rate the
    /// kept epoch trained with; nil for a constant rate.
    private func scheduleRecord(_ outcome: TrainingOutcome) -> String? {
        guard !schedule.isConstant else { return nil }
        var rate = learningRate, cuts: [Int] = [], keptRate = learningRate
        for summary in outcome.history {
            if summary.epoch == outcome.bestEpoch { keptRate = rate }
            if summary.learningRate != rate { cuts.append(summary.epoch) }
            rate = summary.learningRate
        }
        let cutText = cuts.isEmpty ? "never cut" : "cut after epochs " + cuts.map(String.init).joined(separator: ", ")
        return "\(LearningRateSchedule.format(learningRate)), \(schedule.summary); \(cutText); the kept epoch trained at \(LearningRateSchedule.format(keptRate))"
    }

    /// The closing line: saved, and why training ended early when a signal or a divergence ended it.
    private func reportSaved(_ outcome: TrainingOutcome, interruption: InterruptHandling) throws {
        if let signal = interruption.received {
            FileHandle.printError("Interrupted by \(InterruptHandling.name(of: signal)): saved the best weights so far (epoch \(outcome.bestEpoch)) to \(out)")
            throw ExitCode(InterruptHandling.exitStatus(for: signal))
        }
        print("Saved the weights of epoch \(outcome.bestEpoch) to \(out)")
        if let stopMessage = Self.divergence(outcome) { throw CLIError(stopMessage) }
    }

    /// A fresh model of `configuration`; a conditional one is conditioned on the data's classes, in label
    /// order (their count is its `class_count`, which `--setting` may state but not contradict).
    private func newModel(_ configuration: ModelConfiguration, classesOf dataset: LabelledDataset) throws -> VAEModel {
        guard configuration.isConditional else { return VAEModel(configuration: configuration, seed: seed) }
        let names = dataset.labelsPresent.map(dataset.className)
        var conditioned = configuration
        conditioned.settings[ArchitectureSetting.classCountKey] = [names.count]
        let stated = modelOptions.settings.contains { $0.hasPrefix(ArchitectureSetting.classCountKey + "=") }
        if stated && configuration.classCount != names.count {
            throw CLIError("--setting \(ArchitectureSetting.classCountKey)=\(configuration.classCount): the data has \(names.count) classes, and a conditional model has one input per class")
        }
        try CLIError.wrap { try conditioned.validate() }
        return VAEModel(configuration: conditioned, seed: seed, classNames: names)
    }

    /// What chose the weights, for the metadata.
    private func validationDescription(_ dataset: LabelledDataset) -> String {
        if let validation = dataset.validation { return "the data set's own \(validation.count) validation images" }
        return "\(Int((validationSplit * 100).rounded()))% of each class of the training split, seed \(seed)"
    }

    /// Fails before an hour of training, not after, when the weights could not be written: the folder
    /// must exist and accept a new file, and the disk must have room for them.
    private func checkWritable(_ path: String, parameterCount: Int) throws {
        let headerAllowance = 64 << 10   // the JSON header and metadata are about 1 KB
        try CLIError.wrap { try AtomicFile.checkWritable(path, bytes: parameterCount * 4 + headerAllowance, policy: .output(.weights, force: force)) }
    }
}
