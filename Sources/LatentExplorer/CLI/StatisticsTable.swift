import Foundation
import VAE

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
        if markdown {
            header[0] = "measure: mean ± sd (p10 / median / p90)"
            var lines = ["| " + header.joined(separator: " | ") + " |",
                         "|" + String(repeating: "---|", count: header.count)]
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
