import Foundation
import LetterData
import TestSupport
import VAE
import XCTest

/// `latent-explorer compare`: each model scored on its own classes and on the shared ones, in text and
/// JSON, the figure in SVG and PNG, and one-line errors for what cannot be compared.
final class CompareCommandTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        _ = try ExplorerBinary.require()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-compare-\(UUID().uuidString)").path
        try SyntheticLetterFolder.write(to: folder + "/data", trainCount: 520, testCount: 260, seed: 8)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The test models, one of them saved as if trained on the vowels alone.
    private func models() throws -> (all: String, vowels: String, wide: String) {
        let vowels = folder + "/vowels.safetensors"
        let model = try WeightsFile.load(try TestModels.weightsFile(latentDim: 2)).model
        try WeightsFile.save(model, metadata: ModelMetadata(configuration: model.configuration, dataset: "test",
                                                            classes: ["a", "e", "i", "o", "u"],
                                                            objective: VAEObjective(klWeight: 4)), to: vowels)
        return (try TestModels.weightsFile(latentDim: 2), vowels, try TestModels.weightsFile(latentDim: 16))
    }

    func testEachModelOnItsOwnAndTheSharedClassesInJSON() throws {
        let (all, vowels, wide) = try models()
        let run = try ExplorerBinary.run(["compare", all, vowels, wide, "--data", folder + "/data",
                                          "--importance-samples", "3", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["shared_classes"] as? [String], ["a", "e", "i", "o", "u"])
        let rows = try XCTUnwrap(object["models"] as? [[String: Any]])
        XCTAssertEqual(rows.count, 3)
        let own = rows.map { $0["own"] as! [String: Any] }, shared = rows.map { $0["shared"] as! [String: Any] }
        XCTAssertEqual((own[0]["classes"] as? [String])?.count, 26)
        XCTAssertEqual(own[1]["classes"] as? [String], ["a", "e", "i", "o", "u"])
        XCTAssertEqual(rows[1]["kl_weight"] as? Double, 4)
        XCTAssertEqual(shared[0]["test_count"] as? Int, shared[1]["test_count"] as? Int)
        // The vowels model is the all-letters model under another name: on the vowels, the same scores.
        for key in ["neg_elbo", "knn_accuracy", "crowding", "silhouette", "nll_bound"] {
            XCTAssertEqual(shared[0][key] as? Double, shared[1][key] as? Double, key)
        }
        XCTAssertEqual(own[2]["latent_dim"] as? Int, 16)
        XCTAssertLessThanOrEqual(own[2]["active_units"] as! Int, 16)
        XCTAssertGreaterThanOrEqual(own[2]["active_units"] as! Int, 1)
        for entry in own + shared {
            for key in ["neg_elbo", "reconstruction", "kl", "nll_bound", "knn_accuracy", "crowding", "silhouette", "spread_ratio"] {
                XCTAssertNotNil(entry[key] as? Double, key)
            }
            XCTAssertNotNil(entry["most_confused"] as? [[String: Any]])
            XCTAssertEqual((entry["knn_accuracy_by_class"] as? [String: Double])?.count, (entry["classes"] as? [String])?.count)
        }
    }

    func testTheTableAndTheFigures() throws {
        let (all, vowels, _) = try models()
        for format in ["svg", "png"] {
            let out = "\(folder)/report.\(format)"
            let run = try ExplorerBinary.run(["compare", all, vowels, "--data", folder + "/data", "--importance-samples", "2", "--out", out])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stdout.contains("Each model on its own classes"), run.stdout)
            XCTAssertTrue(run.stdout.contains("All on the classes they share: aeiou (5)"), run.stdout)
            XCTAssertTrue(run.stdout.contains("mlp z=2, β 4"), run.stdout)
            XCTAssertTrue(run.stdout.contains("most confused"), run.stdout)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
            if format == "png" {
                XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            } else {
                let text = String(decoding: bytes, as: UTF8.self)
                XCTAssertTrue(text.hasPrefix("<svg"))
                XCTAssertEqual(text.components(separatedBy: "<image ").count - 1, 2, "one grid per model")
                XCTAssertTrue(text.contains("vowels: mlp z=2, β 4, trained on aeiou"), "titles")
            }
        }
    }

    func testWhatCannotBeComparedIsAOneLineError() throws {
        let (all, _, _) = try models()
        let five = try ExplorerBinary.run(["compare", all, all, all, all, all, "--data", folder + "/data"])
        XCTAssertEqual(five.status, 64)
        XCTAssertTrue(five.stderr.contains("compare takes 1 to 4 weight files"), five.stderr)
        let gif = try ExplorerBinary.run(["compare", all, "--data", folder + "/data", "--out", folder + "/x.gif"])
        XCTAssertEqual(gif.status, 64)
        XCTAssertTrue(gif.stderr.contains("--out must name a .svg or .png file"), gif.stderr)

        let digits = folder + "/digits.safetensors"
        let model = try WeightsFile.load(all).model
        try WeightsFile.save(model, metadata: ModelMetadata(configuration: model.configuration, classes: ["0", "1"]), to: digits)
        let foreign = try ExplorerBinary.run(["compare", all, digits, "--data", folder + "/data"])
        XCTAssertEqual(foreign.status, 1)
        XCTAssertEqual(foreign.stderr.split(separator: "\n").count, 1, foreign.stderr)
        XCTAssertTrue(foreign.stderr.contains("was trained on 0 1, none of which"), foreign.stderr)
        let missing = try ExplorerBinary.run(["compare", folder + "/none.safetensors", "--data", folder + "/data"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("none.safetensors"), missing.stderr)
    }

    /// A conditional model's scores say what they bound: compare gives its marginal -log p(x) (starred)
    /// and the generative classifier beside 5-NN, and eval --json names both; a plain model has neither.
    func testAConditionalModelsScoresSayWhatTheyAre() throws {
        let cvae = try TestModels.weightsFile(ModelConfiguration.cvae(hiddenSize: TestModels.mlpHiddenSize, latentDim: 2))
        let plain = try TestModels.weightsFile(latentDim: 2)
        let table = try ExplorerBinary.run(["compare", plain, cvae, "--data", folder + "/data", "--importance-samples", "2"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("gen.cl"), table.stdout)
        XCTAssertTrue(table.stdout.contains("neg ELBO bounds -log p(x | class)"), table.stdout)
        XCTAssertTrue(table.stdout.contains("p(y) uniform over the model's 26 classes"), table.stdout)

        let json = try ExplorerBinary.run(["compare", plain, cvae, "--data", folder + "/data", "--importance-samples", "2", "--json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let own = try XCTUnwrap(object["models"] as? [[String: Any]]).map { $0["own"] as! [String: Any] }
        XCTAssertNil(own[0]["generative_class_accuracy"])
        let accuracy = try XCTUnwrap(own[1]["generative_class_accuracy"] as? Double)
        XCTAssertTrue((0 ... 1).contains(accuracy))
        XCTAssertEqual(own[1]["neg_elbo_bounds"] as? String, "-log p(x|y)")
        XCTAssertNotNil(own[1]["marginal_nll_bound"] as? Double)

        let eval = try ExplorerBinary.run(["eval", "--weights", cvae, "--data", folder + "/data", "--json"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let scores = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(scores["generative_class_accuracy"] as? Double, accuracy, "eval and compare classify alike")
        XCTAssertEqual(scores["class_importance_samples"] as? Int, ConditionalScores.minimumImportanceSamples)
        XCTAssertEqual(scores["class_prior"] as? String, "uniform over the model's 26 classes")
    }
}
