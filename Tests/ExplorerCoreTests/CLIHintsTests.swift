import Foundation
import XCTest

/// Errors that say what to type: a mistyped subcommand or option gets a did-you-mean, a negative value
/// after a space gets the `=` form, and `bench --torch` finds Python on PATH and shows why the reference
/// failed before running anything else.
final class CLIHintsTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        _ = try ExplorerBinary.require()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-hints-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    func testAMistypedCommandGetsADidYouMean() throws {
        for (typed, meant) in [("trian", "train"), ("gird", "grid"), ("interpolte", "interpolate"), ("bnech", "bench")] {
            let run = try ExplorerBinary.run([typed, "--epochs", "1"])
            XCTAssertEqual(run.status, 64, typed)
            XCTAssertTrue(run.stderr.hasPrefix("Error: Unknown command '\(typed)'. Did you mean '\(meant)'?\n"), run.stderr)
        }
        let unrelated = try ExplorerBinary.run(["xyzzy"])
        XCTAssertEqual(unrelated.status, 64)
        XCTAssertTrue(unrelated.stderr.hasPrefix("Error: Unknown command 'xyzzy'.\n"), unrelated.stderr)
        XCTAssertTrue(unrelated.stderr.contains("commands: explore, train, eval, grid"), unrelated.stderr)
    }

    func testAMistypedOptionGetsADidYouMean() throws {
        let run = try ExplorerBinary.run(["grid", "--weights", "w.safetensors", "--out", "g.png", "--sise", "3"])
        XCTAssertEqual(run.status, 64)
        XCTAssertTrue(run.stderr.hasPrefix("Error: Unknown option '--sise'. Did you mean '--size'?"), run.stderr)
    }

    func testANegativeValueAfterASpaceGetsTheEqualsForm() throws {
        let run = try ExplorerBinary.run(["interpolate", "--weights", "w.safetensors", "--from", "-2,0.5", "--to", "1,1", "--out", "s.png"])
        XCTAssertEqual(run.status, 64)
        let lines = run.stderr.split(separator: "\n")
        XCTAssertEqual(lines.first, "Error: Missing value for '--from <point>'")
        XCTAssertEqual(lines.dropFirst().first, "Hint: a value that starts with a minus is written with '=': --from=-2,0.5")
        let missing = try ExplorerBinary.run(["traverse", "--weights", "w.safetensors", "--range", "-.5"])
        XCTAssertTrue(missing.stderr.contains("--range=-.5"), "fixing the minus is the first step here:\n\(missing.stderr)")
    }

    /// `--epochs -1` took two round trips: the hint to write `--epochs=-1`, then its refusal. A value the
    /// equals form would refuse is refused at once.
    func testANegativeValueThatWouldBeRefusedAnywayIsRefusedAtOnce() throws {
        let run = try ExplorerBinary.run(["train", "--epochs", "-1", "--out", folder + "/m.safetensors"])
        XCTAssertEqual(run.status, 64)
        XCTAssertTrue(run.stderr.hasPrefix("Error: --epochs must be between 1 and"), run.stderr)
        XCTAssertTrue(run.stderr.contains("not -1"), run.stderr)
        XCTAssertFalse(run.stderr.contains("Hint: a value that starts with a minus"), run.stderr)
        let range = try ExplorerBinary.run(["traverse", "--weights", "w.safetensors", "--range", "-.5", "--out", "t.png"])
        XCTAssertEqual(range.status, 64)
        XCTAssertTrue(range.stderr.hasPrefix("Error: --range must be"), range.stderr)
    }

    /// A stand-in for Python on a PATH of its own: a shell script that prints `stdout` and `stderr` and
    /// exits with `status`.
    private func fakePython(named name: String, stdout: String, stderr: String, status: Int) throws -> [String: String] {
        let bin = folder + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try stdout.write(toFile: bin + "/" + name + ".out", atomically: true, encoding: .utf8)
        try stderr.write(toFile: bin + "/" + name + ".err", atomically: true, encoding: .utf8)
        let script = "#!/bin/sh\ncat '\(bin)/\(name).out'\ncat '\(bin)/\(name).err' >&2\nexit \(status)\n"
        try script.write(toFile: bin + "/" + name, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(bin + "/" + name, 0o755), 0)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["EMNIST_DIR"] = nil
        return environment
    }

    func testAFailingReferenceIsReportedWithItsStderrBeforeAnythingRuns() throws {
        let environment = try fakePython(named: "lx-broken-python", stdout: "",
                                         stderr: "Traceback (most recent call last):\n  File \"vae_torch.py\", line 9\nModuleNotFoundError: No module named 'torch'",
                                         status: 1)
        let script = folder + "/reference.py"
        try "".write(toFile: script, atomically: true, encoding: .utf8)
        let run = try ExplorerBinary.run(["bench", "--torch", "lx-broken-python", "--torch-script", script], environment: environment)
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stdout, "", "no figure is measured before the reference is known to work")
        XCTAssertTrue(run.stderr.contains("  ModuleNotFoundError: No module named 'torch'\n"), run.stderr)
        XCTAssertTrue(run.stderr.contains("Traceback (most recent call last):"), run.stderr)
        XCTAssertTrue(run.stderr.hasSuffix("failed with exit status 1: ModuleNotFoundError: No module named 'torch'\n"), run.stderr)

        let missing = try ExplorerBinary.run(["bench", "--torch", "lx-no-such-python", "--torch-script", script], environment: environment)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.hasPrefix("Error: --torch lx-no-such-python: not found on PATH"), missing.stderr)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1)
        let noScript = try ExplorerBinary.run(["bench", "--torch", "lx-broken-python", "--torch-script", folder + "/none.py"],
                                              environment: environment)
        XCTAssertEqual(noScript.stderr, "Error: --torch-script \(folder)/none.py: no such file\n")
    }

    func testTheReferenceIsFoundOnPATH() throws {
        let environment = try fakePython(named: "lx-fake-python", stdout: "samples_per_sec=1000 decode_us=10.0 torch=fake-1.0",
                                         stderr: "", status: 0)
        let script = folder + "/reference.py"
        try "".write(toFile: script, atomically: true, encoding: .utf8)
        let run = try ExplorerBinary.run(["bench", "--torch", "lx-fake-python", "--torch-script", script, "--only", "decode",
                                          "--train-images", "128"], environment: environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        // The table for people: "torch mlp decode  10.000  µs", the reference's version last.
        let rows = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(rows.contains { $0.range(of: #"^torch mlp decode +10\.000  µs$"#, options: .regularExpression) != nil }, run.stdout)
        XCTAssertTrue(rows.contains { $0.range(of: #"^kernel path +\S"#, options: .regularExpression) != nil }, run.stdout)
        XCTAssertNotNil(rows.last?.range(of: #"^torch version +fake-1\.0$"#, options: .regularExpression), run.stdout)
        XCTAssertEqual(run.stderr, "", "no status line when standard error is not a terminal")

        for kind in ["conv", "deep mlp", "cvae"] {   // every architecture beside the reference's
            XCTAssertTrue(rows.contains { $0.range(of: "^torch \(kind) decode +10\\.000  µs$", options: .regularExpression) != nil }, run.stdout)
        }

        // The figures for machines: one object, numbers as numbers, names as strings (the sgemm peak
        // alone: a second or two).
        let json = try ExplorerBinary.run(["bench", "--only", "peak", "--json"], environment: environment)
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], json.stdout)
        XCTAssertGreaterThan(object["sgemm_peak_gflops"] as? Double ?? 0, 0, json.stdout)
        XCTAssertEqual(object["threads"] as? Int, 2, json.stdout)
        XCTAssertFalse((object["kernel_path"] as? String ?? "").isEmpty, json.stdout)
        let convPath = object["conv_kernel_path"] as? String ?? ""
        XCTAssertTrue(["AVX-512, 14x32 blocks", "AVX2 + FMA, 6x16 blocks", "as lx_small_gemm"].contains(convPath), json.stdout)
        XCTAssertNotNil(object["blas_core"] as? String, json.stdout)
    }
}
