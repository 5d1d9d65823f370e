import XCTest
@testable import VAE

final class VAELossTests: XCTestCase {
    /// Saturated logits must give finite losses and gradients (no log(0), no exp overflow).
    func testReconstructionLossIsFiniteForSaturatedLogits() {
        let logits = Matrix(rows: 1, columns: 4, values: [-200, 200, -1e30, 1e30])
        let targets = Matrix(rows: 1, columns: 4, values: [1, 0, 1, 0])
        let gradient = Matrix(rows: 1, columns: 4)
        let loss = VAELoss.reconstruction(logits: logits, targets: targets, gradient: gradient, scale: 1, pool: .default)
        XCTAssertTrue(loss.isFinite)
        XCTAssertEqual(loss, 200 + 200 + 1e30 + 1e30, accuracy: 1e25)
        XCTAssertEqual(gradient.values, [-1, 1, -1, 1])
    }

    /// KL(N(mu, sigma²) || N(0, 1)) = (mu² + sigma² - 1 - log sigma²) / 2 per dimension.
    func testKLMatchesTheClosedForm() {
        let mean = Matrix(rows: 1, columns: 2, values: [0.5, -1])
        let logVariance = Matrix(rows: 1, columns: 2, values: [0, log(0.25)])
        let expected = (0.25 + 1 - 1 - 0) / 2 + (1 + 0.25 - 1 - log(0.25)) / 2
        XCTAssertEqual(VAELoss.kl(mean: mean, logVariance: logVariance), expected, accuracy: 1e-6)
    }
}
