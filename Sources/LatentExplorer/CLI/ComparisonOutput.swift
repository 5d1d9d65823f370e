import ExplorerCore
import FileFormats
import Foundation
import LetterData
import Pictures
import VAE

/// What `compare` prints and draws from its measurements: the table, the JSON and the figure.
struct ComparisonOutput {
    struct Row {
        var path: String
        var model: VAEModel
        var metadata: ModelMetadata
        /// On the model's own classes, and on the classes all models share (the same when they agree).
        var own: LatentSpaceReport
        var shared: LatentSpaceReport

        var name: String { ((path as NSString).lastPathComponent as NSString).deletingPathExtension }

        /// The classes the file says it was trained on: "aeiou" or "26 classes".
        var trainedOn: String {
            let classes = metadata.classes
            if classes.isEmpty { return "unrecorded classes" }
            if classes.allSatisfy({ $0.count == 1 }) && classes.count <= 10 { return classes.joined() }
            return "\(classes.count) classes"
        }

        /// "mlp z=2, β 1".
        var kind: String {
            "\(model.configuration.kind) z=\(model.latentDim), β \(VAEObjective.format(metadata.objective.klWeight))"
        }
    }

    enum Format {
        case svg, png
        /// The kind of file written, for the write policy.
        var outputKind: OutputKind { self == .svg ? .svg : .png }
        init?(path: String) {
            switch (path as NSString).pathExtension.lowercased() {
            case "svg": self = .svg
            case "png": self = .png
            default: return nil
            }
        }
    }

    var dataset: LabelledDataset
    var rows: [Row]
    var sharedClasses: [String]
    /// Whether some model's own classes differ from the shared ones (then both tables are printed).
    var separate: Bool
    var importanceSamples: Int
    var k: Int
    var pairs: Int

    private func names(_ labels: [Int]) -> [String] { labels.map(dataset.className) }

    /// "aeiou (5)", or "10 classes" when the names are long.
    private func classList(_ labels: [Int]) -> String {
        let list = names(labels)
        if list.allSatisfy({ $0.count == 1 }) && list.count <= 10 { return "\(list.joined()) (\(list.count))" }
        return "\(list.count) classes"
    }

    /// "4→9 18 %, 7→9 11 %".
    private func confusedPairs(_ report: LatentSpaceReport) -> String {
        let list = report.confusion.mostConfused(limit: pairs)
        guard !list.isEmpty else { return "none seen twice" }
        return list.map { "\(dataset.className($0.actual))→\(dataset.className($0.predicted)) \(Int(($0.fraction * 100).rounded())) %" }
            .joined(separator: ", ")
    }

    func table() -> String {
        var lines = ["Data: \(dataset.name)"]
        if let note = dataset.note { lines.append("Note: \(note)") }
        lines.append("neg ELBO = reconstruction + KL and NLL ≤ (importance-weighted bound, K = \(importanceSamples)) in nats per image, with β = 1 whatever β a model was trained with.")
        lines.append("crowd = crowding: the share of each test code's \(ClassSeparation.crowdingNeighbours) nearest test codes that are of another class (0: separate classes; higher: more crowded).")
        lines.append("sil = mean silhouette of the test codes by class (1: tight, separate; 0: overlapping); spread = between- / within-class spread.")
        func section(_ title: String, _ pick: (Row) -> LatentSpaceReport) {
            lines.append("")
            lines.append(title)
            let nameWidth = max(5, rows.map(\.name.count).max() ?? 5)
            let kindWidth = max(5, rows.map(\.kind.count).max() ?? 5)
            let header = "model".padding(nameWidth) + "  " + "kind".padding(kindWidth) + "  " + "classes".padding(16)
                + "  test   neg ELBO (rec + KL)        NLL ≤    active  \(k)-NN    gen.cl  crowd   sil     spread"
            lines.append(header)
            for row in rows {
                let r = pick(row)
                let elbo = r.loss.total.isFinite
                    ? String(format: "%.2f (%.2f + %.2f)", r.loss.total, r.loss.reconstruction, r.loss.kl) : ScoreText.words(r.loss.total)
                // A conditional model's comparable figure is its marginal -log p(x), always measured (starred).
                let nll = r.conditional.map { ScoreText.formatted(-$0.marginalLogLikelihoodBound, "%.2f") + "*" }
                    ?? (importanceSamples > 1 ? ScoreText.formatted(-r.logLikelihoodBound, "%.2f") : "-")
                let generative = r.conditional.map { ScoreText.formatted($0.classifierAccuracy, "%.3f") } ?? "-"
                lines.append(row.name.padding(nameWidth) + "  " + row.kind.padding(kindWidth) + "  "
                    + classList(r.classes).padding(16) + "  " + String(r.testCount).padding(5) + "  " + elbo.padding(25)
                    + "  " + nll.padding(7) + "  " + "\(r.activeUnits)/\(r.latentDim)".padding(6)
                    + "  " + ScoreText.formatted(r.knnAccuracy, "%.3f").padding(6) + "  " + generative.padding(6)
                    + "  " + ScoreText.formatted(r.crowding, "%.3f").padding(6)
                    + "  " + ScoreText.formatted(r.silhouette, "%+.3f").padding(6)
                    + "  " + ScoreText.formatted(r.spreadRatio, "%.2f"))
            }
            for row in rows {
                let r = pick(row)
                if let c = r.conditional {
                    lines.append("  \(row.name): conditional, so its neg ELBO bounds -log p(x | class) (each test image with its own class); "
                        + "NLL ≤* is -log Σ_y p(y) p(x | y), p(y) \(c.prior), each p(x | y) from the importance-weighted bound (K = \(c.importanceSamples)); "
                        + "gen.cl is the generative classifier, argmax_y of that bound on log p(x | y)")
                }
                lines.append("  \(row.name): most confused \(confusedPairs(r))")
                let perClass = r.classes.map { "\(dataset.className($0)) \(String(format: "%.2f", r.confusion.accuracy(of: $0)))" }
                lines.append("    \(k)-NN by class: " + perClass.joined(separator: ", "))
            }
        }
        let ownTitle: String
        if separate {
            ownTitle = "Each model on its own classes"
        } else if sharedClasses.isEmpty {
            ownTitle = "Each model on its own classes (they share none)"
        } else {
            ownTitle = "All on the same classes: \(classList(rows[0].own.classes))"
        }
        section(ownTitle, \.own)
        if separate {
            let labels = rows[0].shared.classes
            section("All on the classes they share: \(classList(labels)), \(rows[0].shared.testCount) test images", \.shared)
        }
        return lines.joined(separator: "\n")
    }

    private func object(_ r: LatentSpaceReport) -> [String: Any] {
        var object = plainObject(r)
        if let c = r.conditional {
            object["neg_elbo_bounds"] = "-log p(x|y)"
            object["marginal_nll_bound"] = ScoreText.json(-c.marginalLogLikelihoodBound)
            object["class_prior"] = c.prior
            object["class_importance_samples"] = c.importanceSamples
            object["generative_class_accuracy"] = ScoreText.json(c.classifierAccuracy)
        }
        return object
    }

    private func plainObject(_ r: LatentSpaceReport) -> [String: Any] {
        [
            "classes": names(r.classes), "test_count": r.testCount,
            // A model whose weights overflow scores NaN or infinity: said in words (`ScoreText`).
            "neg_elbo": ScoreText.json(r.loss.total), "reconstruction": ScoreText.json(r.loss.reconstruction),
            "kl": ScoreText.json(r.loss.kl), "nll_bound": ScoreText.json(-r.logLikelihoodBound),
            "active_units": r.activeUnits, "latent_dim": r.latentDim, "knn_accuracy": ScoreText.json(r.knnAccuracy),
            "knn_accuracy_by_class": Dictionary(uniqueKeysWithValues: r.classes.map { (dataset.className($0), r.confusion.accuracy(of: $0)) }),
            "most_confused": r.confusion.mostConfused(limit: pairs).map {
                ["actual": dataset.className($0.actual), "predicted": dataset.className($0.predicted),
                 "count": $0.count, "fraction": $0.fraction] as [String: Any]
            },
            "crowding": ScoreText.json(r.crowding), "silhouette": ScoreText.json(r.silhouette), "spread_ratio": r.spreadRatio.isFinite ? r.spreadRatio : Double.greatestFiniteMagnitude,
        ]
    }

    func json() throws -> String {
        var top: [String: Any] = [
            "data": dataset.name, "importance_samples": importanceSamples, "k": k, "shared_classes": sharedClasses,
            "models": rows.map { row -> [String: Any] in
                ["file": row.path, "architecture": row.model.configuration.kind, "latent_dim": row.model.latentDim,
                 "kl_weight": row.metadata.objective.klWeight, "trained_on": row.metadata.dataset,
                 "own": object(row.own), "shared": object(row.shared)]
            },
        ]
        if let note = dataset.note { top["data_note"] = note }
        let data = try JSONSerialization.data(withJSONObject: top, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Draws the figure on the shared classes; returns the plane's half-width and a description.
    func writeFigure(to path: String, range requested: Float?, force: Bool) throws -> (Float, String) {
        let planes = rows.map { PlaneProjection(fitting: $0.shared.testCodes, dimension: $0.model.latentDim) }
        let range = requested ?? zip(rows, planes).map { PlaneProjection.range(of: $1.project($0.shared.testCodes)) }.max()!
        let panels = zip(rows, planes).map { row, plane -> ComparisonFigure.Panel in
            let r = row.shared
            var figures = String(format: "neg ELBO %.1f  NLL ≤ %.1f  %d-NN %.3f  crowding %.3f  sil %+.3f  active %d/%d",
                                 r.loss.total, -r.logLikelihoodBound, k, r.knnAccuracy, r.crowding, r.silhouette,
                                 r.activeUnits, r.latentDim)
            if importanceSamples == 1 { figures = figures.replacingOccurrences(of: String(format: "  NLL ≤ %.1f", -r.logLikelihoodBound), with: "") }
            var lines = [figures, "most confused: \(confusedPairs(r))"]
            if plane.isPrincipal { lines.append("plane of the codes' first two principal components (z=\(row.model.latentDim))") }
            return ComparisonFigure.Panel(title: "\(row.name): \(row.kind), trained on \(row.trainedOn)",
                                          lines: lines, model: row.model, plane: plane, range: range,
                                          codes: r.testCodes, labels: r.testLabels)
        }
        let figure = ComparisonFigure(panels: panels, range: range, classNames: dataset.classNames,
                                      caption: sharedClasses.isEmpty ? "Test codes of each model's own classes"
                                          : "Test codes of \(classList(rows[0].shared.classes)): \(rows[0].shared.testCount) test images")
        let format = Format(path: path)!
        let bytes: [UInt8] = switch format {
        case .svg: Array(figure.svg().utf8)
        case .png: figure.png()
        }
        try CLIError.wrap { try AtomicFile.write(bytes, to: path, policy: .output(format.outputKind, force: force)) }
        let what = rows.count == 1 ? "the grid and scatter" : "\(rows.count) grids and scatters"
        return (range, "\(what) (\(figure.width)x\(figure.height) pixels)")
    }
}

private extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
