import Foundation
import FileFormats
import LetterData
import VAE
import TestSupport
import XCTest

/// Runs the real `latent-explorer train` (as EndToEndTests does, without tmux) and checks what it
/// does with an unwritable --out, a full disk, Ctrl-C and SIGTERM, and degenerate data: the file at
/// --out is either the previous one or a complete model, never a partial file, and no temporary file
/// is left behind.
final class TrainCommandTests: XCTestCase {
    private var folder = ""
    /// A weights file (a save replaces only one of those without --force).
    private let oldModel: [UInt8] = SafeTensors.encode(["previous": Tensor(shape: [1], values: [1])], metadata: ["note": "the previous model"])
    /// Arguments for a small model that trains quickly, for as long as the test wants.
    private let quickModel = ["--hidden-size", "64", "--batch-size", "16"]
    private let endless = ["--epochs", "100000", "--patience", "100000"]

    private var binary: String { ExplorerBinary.path }

    override func setUpWithError() throws {
        _ = try ExplorerBinary.require()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-train-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        try writeData(count: 300)
    }

    override func tearDownWithError() throws {
        _ = Shell.status("umount '\(folder)/small' 2>/dev/null")
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// An EMNIST-style CSV pair in `folder/data`: `count` training images with labels a...z, 20 test images.
    private func writeData(count: Int, pixel: (Int, Int) -> UInt8 = { image, offset in UInt8((image * 37 + offset * (offset % 7)) % 256) }) throws {
        func images(_ n: Int, _ first: Int) -> ImageSet {
            var pixels: [UInt8] = []
            pixels.reserveCapacity(n * ImageSet.pixelCount)
            for image in first ..< first + n { for offset in 0 ..< ImageSet.pixelCount { pixels.append(pixel(image, offset)) } }
            return ImageSet(pixels: pixels, labels: (first ..< first + n).map { $0 % 26 + 1 })
        }
        try DatasetWriter.writeCSV(images(count, 0), path: folder + "/data/emnist-letters-train.csv")
        try DatasetWriter.writeCSV(images(20, count), path: folder + "/data/emnist-letters-test.csv")
    }

    // MARK: running the binary

    /// A running `latent-explorer` whose output is collected as it arrives.
    /// @unchecked Sendable: every access to `out` and `err` is under `lock` (`Process` guards its own state).
    private final class Run: @unchecked Sendable {
        let process = Process()
        private let lock = NSLock()
        private var out = Data(), err = Data()

        init(_ binary: String, _ arguments: [String]) throws {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
            let (outPipe, errPipe) = (Pipe(), Pipe())
            process.standardOutput = outPipe
            process.standardError = errPipe
            outPipe.fileHandleForReading.readabilityHandler = { [unowned self] in let d = $0.availableData; lock.withLock { out += d } }
            errPipe.fileHandleForReading.readabilityHandler = { [unowned self] in let d = $0.availableData; lock.withLock { err += d } }
            try process.run()
        }

        var stdout: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
        var stderr: String { lock.withLock { String(decoding: err, as: UTF8.self) } }

        func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        /// Waits for the process to end (killing it after `timeout` seconds) and for its output.
        func finish(timeout: TimeInterval = 120) -> Int32 {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            Thread.sleep(forTimeInterval: 0.1)   // the last output reaches the handlers
            return process.terminationStatus
        }

        /// Waits until standard output (or standard error) contains `text`.
        func waitForOutput(_ text: String, inStandardError: Bool = false, timeout: TimeInterval = 120) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            func found() -> Bool { (inStandardError ? stderr : stdout).contains(text) }
            while Date() < deadline {
                if found() { return true }
                if !process.isRunning { return found() }
                Thread.sleep(forTimeInterval: 0.005)
            }
            return false
        }
    }

    private func train(_ arguments: [String]) throws -> Run {
        try Run(binary, ["train", "--data", folder + "/data"] + arguments)
    }

    private func contents(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    private func entries(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// The error line ArgumentParser prints: exactly one line.
    private func assertOneErrorLine(_ stderr: String, contains text: String, file: StaticString = #filePath, line: UInt = #line) {
        let lines = stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, stderr, file: file, line: line)
        XCTAssertTrue(stderr.hasPrefix("Error: ") && stderr.contains(text), stderr, file: file, line: line)
    }

    /// A tmpfs of `size` at `folder/small` (root only), or a skip.
    private func mountSmallDisk(_ size: String) throws -> String {
        let mountPoint = folder + "/small"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        guard Shell.status("mount -t tmpfs -o size=\(size) tmpfs '\(mountPoint)' 2>/dev/null") == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (needs root); AtomicFileTests covers full disks by injection")
        }
        return mountPoint
    }

    // MARK: --out that cannot be written

    func testAnUnwritableOutIsRefusedBeforeTraining() throws {
        try oldModel.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: folder + "/file")) }
        let cases = [
            (folder + "/missing/m.safetensors", "folder \(folder)/missing does not exist"),
            (folder + "/file/m.safetensors", "part of the path is a file, not a folder"),
            (folder, "it is a folder"),
        ]
        for (out, message) in cases {
            let run = try train(quickModel + ["--out", out])
            XCTAssertEqual(run.finish(), 1, out)
            assertOneErrorLine(run.stderr, contains: "cannot save \(out): \(message)")
            XCTAssertFalse(run.stdout.contains("Epoch"), "no training: \(run.stdout)")
        }
        XCTAssertTrue(contents(folder + "/file") == oldModel, "the previous model is intact")
    }

    func testADiskTooSmallForTheWeightsIsRefusedBeforeTrainingAndKeepsTheOldModel() throws {
        let disk = try mountSmallDisk("64k")
        let out = disk + "/m.safetensors"
        try oldModel.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: out)) }
        let run = try train(["--out", out])   // 806,000 parameters: 3.1 MB
        XCTAssertEqual(run.finish(), 1)
        assertOneErrorLine(run.stderr, contains: "cannot save \(out): it needs 3.1 MB but the disk has")
        XCTAssertFalse(run.stdout.contains("Epoch"))
        XCTAssertTrue(contents(out) == oldModel, "the previous model is intact")
        XCTAssertEqual(entries(disk), ["m.safetensors"])
    }

    /// The disk fills up while training runs; the save at Ctrl-C fails cleanly and the old model survives.
    func testADiskThatFillsDuringTrainingKeepsTheOldModel() throws {
        let disk = try mountSmallDisk("1m")
        let out = disk + "/m.safetensors"
        try oldModel.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: out)) }
        let run = try train(quickModel + endless + ["--out", out])   // 101,652 parameters: 400 KB
        XCTAssertTrue(run.waitForOutput(" 1/100000 ["), run.stdout + run.stderr)
        _ = Shell.status("head -c 2M /dev/zero > '\(disk)/filler' 2>/dev/null")
        run.signal(SIGINT)
        XCTAssertEqual(run.finish(), 1)
        XCTAssertTrue(run.stderr.contains("Error: cannot save \(out): the disk is full"), run.stderr)
        XCTAssertTrue(contents(out) == oldModel, "the previous model is intact")
        XCTAssertEqual(entries(disk), ["filler", "m.safetensors"], "no temporary file")
    }

    // MARK: Ctrl-C and SIGTERM

    func testCtrlCAfterAnEpochSavesTheBestWeightsAndExits130() throws {
        try assertInterruptedRunSaves(signal: SIGINT, status: 130, name: "Ctrl-C (SIGINT)")
    }

    func testSIGTERMAfterAnEpochSavesTheBestWeightsAndExits143() throws {
        try assertInterruptedRunSaves(signal: SIGTERM, status: 143, name: "SIGTERM")
    }

    private func assertInterruptedRunSaves(signal: Int32, status: Int32, name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let out = folder + "/m.safetensors"
        try oldModel.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: out)) }
        let run = try train(quickModel + endless + ["--out", out])
        XCTAssertTrue(run.waitForOutput(" 2/100000 ["), run.stdout + run.stderr, file: file, line: line)
        run.signal(signal)
        XCTAssertEqual(run.finish(), status, run.stderr, file: file, line: line)
        XCTAssertTrue(run.stderr.contains("\(name): stopping after this batch"), run.stderr, file: file, line: line)
        XCTAssertTrue(run.stderr.contains("Interrupted by \(name): saved the best weights so far (epoch"), run.stderr, file: file, line: line)
        let (model, metadata) = try WeightsFile.load(out)
        XCTAssertEqual(model.configuration[MLPNetwork.hiddenSize], [64], file: file, line: line)
        XCTAssertGreaterThanOrEqual(metadata.epochs, 1, file: file, line: line)
        XCTAssertTrue(model.tensors().values.allSatisfy { $0.values.allSatisfy(\.isFinite) }, file: file, line: line)
        XCTAssertEqual(entries(folder), ["data", "m.safetensors"], "no temporary file", file: file, line: line)
    }

    func testCtrlCBeforeTheFirstEpochEndsSavesNothing() throws {
        // One image a step through a 512-unit model: the first epoch takes seconds.
        try writeData(count: 4_000)
        let out = folder + "/m.safetensors"
        try oldModel.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: out)) }
        let run = try train(["--batch-size", "1", "--out", out])
        XCTAssertTrue(run.waitForOutput("Training mlp"), run.stdout + run.stderr)
        run.signal(SIGINT)
        XCTAssertEqual(run.finish(), 130, run.stderr)
        XCTAssertTrue(run.stderr.contains("interrupted by Ctrl-C (SIGINT) before the first epoch ended; nothing saved, \(out) is as it was"), run.stderr)
        XCTAssertTrue(contents(out) == oldModel, "the previous model is intact")
    }

    /// Two Ctrl-Cs: the second quits at once, without writing, although the first asked for a save.
    /// (Signals sent back to back merge into one, as POSIX allows, so the second waits until the
    /// first has been seen. A batch of 2,000 images through 1,024 hidden units takes long enough
    /// for the second to arrive before that batch ends.)
    func testASecondCtrlCQuitsAtOnceWithoutWriting() throws {
        try writeData(count: 2_000)
        let out = folder + "/m.safetensors"
        try oldModel.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: out)) }
        let run = try train(["--hidden-size", "1024", "--batch-size", "2000"] + endless + ["--out", out])
        XCTAssertTrue(run.waitForOutput(" 1/100000 ["), run.stdout + run.stderr)
        run.signal(SIGINT)
        XCTAssertTrue(run.waitForOutput("stopping after this batch", inStandardError: true), run.stderr)
        run.signal(SIGINT)
        XCTAssertEqual(run.finish(), 130, run.stderr)
        XCTAssertTrue(run.stderr.contains("Ctrl-C (SIGINT) again: quitting now. Nothing was saved; \(out) is as it was."), run.stderr)
        XCTAssertFalse(run.stderr.contains("saved the best weights"), run.stderr)
        XCTAssertTrue(contents(out) == oldModel, "the previous model is intact")
        XCTAssertEqual(entries(folder), ["data", "m.safetensors"], "no temporary file")
    }

    // MARK: the objective

    /// `--beta` reaches the metadata as `kl_weight`, the output says the printed losses are β = 1, and a
    /// β out of range is a one-line usage error before anything is read.
    func testBetaIsRecordedAndOutOfRangeIsAUsageError() throws {
        let out = folder + "/beta.safetensors"
        let run = try train(quickModel + ["--beta", "0.5", "--epochs", "1", "--out", out])
        XCTAssertEqual(run.finish(), 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("β = 0.5, bernoulli likelihood; losses printed are the true negative ELBO (β = 1)"), run.stdout)
        let metadata = try WeightsFile.load(out).metadata
        XCTAssertEqual(metadata.objective, VAEObjective(klWeight: 0.5))
        let refused = try train(quickModel + ["--beta", "1001", "--out", out])
        XCTAssertEqual(refused.finish(), 64)
        XCTAssertTrue(refused.stderr.contains("--beta: the KL weight β must be between 0 and 1000, not 1001"), refused.stderr)
    }

    /// --kl-warmup is announced, each warm-up epoch prints the β it reached, the weights record β
    /// itself, and a warm-up past the epochs' range is a one-line usage error.
    func testAKLWarmupIsAnnouncedPrintedAndRecorded() throws {
        let out = folder + "/warmup.safetensors"
        let run = try train(quickModel + ["--kl-warmup", "4", "--epochs", "2", "--out", out])
        XCTAssertEqual(run.finish(), 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("KL warm-up: β rises from 0 to 1 over the first 4 epochs"), run.stdout)
        let epochLines = run.stdout.split(separator: "\n").filter { $0.hasPrefix("Epoch") }
        XCTAssertEqual(epochLines.count, 2, run.stdout)
        XCTAssertTrue(epochLines.allSatisfy { $0.contains(" - β 0.") }, run.stdout)
        XCTAssertEqual(try WeightsFile.load(out).metadata.objective, VAEObjective(klWeight: 1))
        let refused = try train(quickModel + ["--kl-warmup", "-1", "--out", out])
        XCTAssertEqual(refused.finish(), 64)
        XCTAssertTrue(refused.stderr.contains("--kl-warmup must be between 0 and"), refused.stderr)
    }

    /// --lr-plateau is announced and recorded in the weights with the epochs it cut after; a factor
    /// out of range, or a plateau without a validation part to watch, is a one-line usage error.
    func testALearningRatePlateauIsAnnouncedAndRecorded() throws {
        let out = folder + "/plateau.safetensors"
        let run = try train(quickModel + ["--lr-plateau", "1", "--lr-factor", "0.25", "--epochs", "2", "--out", out])
        XCTAssertEqual(run.finish(), 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("Learning rate: 0.001, x0.25 after 1 epoch without a better validation loss"), run.stdout)
        let record = try XCTUnwrap(try WeightsFile.load(out).metadata.learningRateSchedule)
        XCTAssertTrue(record.hasPrefix("0.001, x0.25 after 1 epoch without a better validation loss; "), record)
        for (arguments, message) in [(["--lr-factor", "1.5"], "--lr-factor must be between 0.01 and 0.99"),
                                     (["--lr-plateau", "2", "--validation-split", "0"], "--lr-plateau watches the validation loss")] {
            let refused = try train(quickModel + arguments + ["--out", out])
            XCTAssertEqual(refused.finish(), 64)
            XCTAssertTrue(refused.stderr.contains(message), refused.stderr)
        }
    }

    // MARK: degenerate data

    func testALettersFilterThatLeavesNoImageIsAMessage() throws {
        try writeData(count: 2)   // labels a and b
        let run = try train(quickModel + ["--letters", "xyz", "--out", folder + "/m.safetensors"])
        XCTAssertEqual(run.finish(), 1)
        assertOneErrorLine(run.stderr, contains: "the training split holds no images after --letters xyz")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/m.safetensors"))
    }

    /// The model knows what it was trained on: the filter is kept as `class_filter` and named in the
    /// data set's description; the classes are the filtered ones. Without a filter there is no key.
    func testALettersFilterIsRecordedInTheMetadata() throws {
        let out = folder + "/vowels.safetensors"
        let run = try train(quickModel + ["--letters", "aei", "--epochs", "1", "--out", out])
        XCTAssertEqual(run.finish(), 0, run.stderr)
        let metadata = try WeightsFile.load(out).metadata
        XCTAssertEqual(metadata.classFilter, "aei")
        XCTAssertTrue(metadata.dataset.hasSuffix(", classes aei"), metadata.dataset)
        XCTAssertEqual(metadata.classes, ["a", "e", "i"])

        let all = folder + "/all.safetensors"
        let unfiltered = try train(quickModel + ["--epochs", "1", "--out", all])
        XCTAssertEqual(unfiltered.finish(), 0, unfiltered.stderr)
        XCTAssertNil(try WeightsFile.load(all).metadata.classFilter)
        XCTAssertFalse(try WeightsFile.load(all).metadata.dataset.contains("classes"))
    }

    func testASingleImageABatchLargerThanTheSetAndAllBlackImagesTrain() throws {
        for (count, pixel) in [(1, { (_: Int, offset: Int) in UInt8(offset % 256) }), (40, { (_: Int, _: Int) in UInt8(0) })] {
            try writeData(count: count, pixel: pixel)
            let out = folder + "/m\(count).safetensors"
            let run = try train(["--hidden-size", "64", "--batch-size", "128", "--epochs", "2", "--out", out])
            XCTAssertEqual(run.finish(), 0, run.stderr)
            // The images trained on: the set less the validation images held out of it (none of one image).
            let trained = run.stdout.components(separatedBy: "\n").compactMap { line -> Int? in
                guard line.hasPrefix("The batch size is "), line.contains(", the number of training images (--batch-size 128 is larger") else { return nil }
                return Int(line.dropFirst("The batch size is ".count).prefix { $0.isNumber })
            }
            XCTAssertEqual(trained.count, 1, run.stdout)
            XCTAssertTrue(trained.allSatisfy { $0 >= 1 && $0 <= count && (count > 1 || $0 == 1) }, run.stdout)
            let model = try WeightsFile.load(out).model
            XCTAssertTrue(model.tensors().values.allSatisfy { $0.values.allSatisfy(\.isFinite) }, "count \(count)")
        }
    }
}
