import Foundation
import LetterData

/// Lays out `LetterStatistics` of several data sets side by side, as plain text or Markdown.
enum StatisticsTable {
    static func render(_ columns: [(name: String, statistics: LetterStatistics)], split: String, markdown: Bool) -> String {
        func cell(_ s: LetterStatistics.Summary) -> String {
            String(format: "%.2f ± %.2f (%.2f / %.2f / %.2f)", s.mean, s.standardDeviation, s.p10, s.median, s.p90)
        }
        var header = ["measure (\(split) split)"] + columns.map { "\($0.name), \($0.statistics.count) images" }
        var rows: [[String]] = LetterStatistics.measures.enumerated().map { index, measure in
            ["\(measure.name): \(measure.meaning)"] + columns.map { cell($0.statistics.summaries[index]) }
        }
        for (band, item) in LetterStatistics.pixelBands.enumerated() {
            rows.append(["pixels \(item.name), share"] + columns.map { String(format: "%.4f", $0.statistics.pixelBandShares[band]) })
        }
        if markdown { header[0] = "measure: mean ± sd (p10 / median / p90)" }
        return table(header: header, rows: rows, markdown: markdown)
    }

    /// One row per class: each measure's mean in the first data set, then in the second ("a / b").
    static func renderByClass(_ first: (name: String, statistics: [Int: LetterStatistics]),
                              _ second: (name: String, statistics: [Int: LetterStatistics]),
                              className: (Int) -> String, markdown: Bool) -> String {
        let header = ["class (\(first.name) / \(second.name))", "count"] + LetterStatistics.measures.map(\.name)
        let labels = Set(first.statistics.keys).intersection(second.statistics.keys).sorted()
        let rows: [[String]] = labels.map { label in
            let (a, b) = (first.statistics[label]!, second.statistics[label]!)
            return [className(label), "\(a.count) / \(b.count)"] + LetterStatistics.measures.indices.map { index in
                String(format: "%.2f / %.2f", a.summaries[index].mean, b.summaries[index].mean)
            }
        }
        return table(header: header, rows: rows, markdown: markdown)
    }

    /// One row per form of each counted class: its estimated share in both data sets and the share the
    /// generator draws it with.
    static func renderForms(_ first: (name: String, census: LetterFormCensus), _ second: (name: String, census: LetterFormCensus),
                            markdown: Bool) -> String {
        let header = ["class", "form", "\(first.name) (5-NN on renders)", "\(second.name) (same)", "generator draws"]
        var rows: [[String]] = []
        for label in first.census.shares.keys.sorted() {
            let forms = LetterForms.forms(label: label)
            for (index, form) in forms.enumerated() {
                func share(_ census: LetterFormCensus) -> String {
                    census.shares[label].map { String(format: "%.0f%%", 100 * $0[index]) } ?? "-"
                }
                rows.append([index == 0 ? String(UnicodeScalar(UInt8(96 + label))) + " (\(first.census.counts[label] ?? 0))" : "",
                             form.name, share(first.census), share(second.census), String(format: "%.0f%%", 100 * form.share)])
            }
        }
        return table(header: header, rows: rows, markdown: markdown)
    }

    private static func table(header: [String], rows: [[String]], markdown: Bool) -> String {
        if markdown {
            var lines = ["| " + header.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: header.count)]
            lines += rows.map { "| " + $0.joined(separator: " | ") + " |" }
            return lines.joined(separator: "\n")
        }
        let widths = (0 ..< header.count).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}
