import Foundation
import VAE
import XCTest

/// The explorer follows the classes a model was trained on (its metadata), and says in one line when
/// the test data are of another kind.
final class ModelClassesEndToEndTests: TmuxTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        folder = "/tmp/lxc-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
        super.tearDown()
    }

    /// The test model saved with `classes` (and `dataset`) in its metadata.
    private func weights(classes: [String], dataset: String, filter: String?) throws -> String {
        let model = try WeightsFile.load(try TestModels.weightsFile(latentDim: 2)).model
        let path = folder + "/model.safetensors"
        try WeightsFile.save(model, metadata: ModelMetadata(configuration: model.configuration, dataset: dataset, classes: classes,
                                                             epochs: 1, classFilter: filter), to: path)
        return path
    }

    private func open(_ weights: String, _ extra: String = "") {
        session.start(width: 120, height: 40, arguments: "--weights \(TmuxSession.quoted(weights)) --data synthetic --test-count 260 \(extra)",
                      environment: ["NO_COLOR": "1"])
        session.waitFor("the explorer to open") { $0.contains("Latent plane") && $0.contains("Decoded at cursor") }
    }

    func testAVowelModelShowsItsVowelsUnlessToldOtherwise() throws {
        let path = try weights(classes: ["a", "e", "i", "o", "u"], dataset: "synthetic-letters, classes aeiou", filter: "aeiou")
        open(path)
        let start = session.settled()
        XCTAssertTrue(start.contains("trained on the classes aeiou only"), start)
        XCTAssertTrue(start.contains("test letters: synthetic letters, classes aeiou"), start)
        session.keys("o")
        let scatter = session.waitFor("the legend") { $0.contains(" a e i o u ") }
        XCTAssertFalse(scatter.contains(" a b c "), scatter)
        session.keys("b", "c")
        session.waitFor("no class c here") { $0.contains("Class 'c' has no test letters in this data set") }
        session.keys("Tab", "q")
        session.waitFor("the program to exit") { $0.contains("EXIT=0") }

        session.kill()
        session = TmuxSession()
        open(path, "--all-classes")
        session.keys("o")
        session.waitFor("every class in the legend") { $0.contains(" a b c d e f g h i j k l m n o p q r s t u v w x y z ") }
        session.keys("q")
    }

    func testAModelOfAnotherKindSaysSoOnTheStatusLine() throws {
        let path = try weights(classes: ["T-shirt/top", "Trouser", "Pullover"], dataset: "fashion-mnist", filter: nil)
        open(path)
        let screen = session.settled()
        let status = screen.split(separator: "\n", omittingEmptySubsequences: false)[38]
        XCTAssertTrue(status.contains("A fashion-mnist model on letters (synthetic letters): its codes and votes may mean little here"),
                      String(status))
        session.keys("q")
        session.waitFor("the program to exit") { $0.contains("EXIT=0") }
    }
}
