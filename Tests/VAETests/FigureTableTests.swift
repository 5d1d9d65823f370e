import Support
import XCTest

/// `bench`'s table for people: each figure's name in words, its value and its unit, aligned.
final class FigureTableTests: XCTestCase {
    func testUnitsComeFromTheKeysSuffixes() {
        XCTAssertEqual(FigureTable.describe("mlp_train_samples_per_sec").name, "mlp train")
        XCTAssertEqual(FigureTable.describe("mlp_train_samples_per_sec").unit, "samples/s")
        XCTAssertEqual(FigureTable.describe("mlp_train_samples_per_sec_min").unit, "samples/s (slowest)")
        XCTAssertEqual(FigureTable.describe("conv_decode_us").unit, "µs")
        XCTAssertEqual(FigureTable.describe("csv_load_seconds").unit, "s")
        XCTAssertEqual(FigureTable.describe("peak_rss_mb").unit, "MB")
        XCTAssertEqual(FigureTable.describe("blas_core").unit, "")
        XCTAssertEqual(FigureTable.describe("explorer_mlp_train_to_train_ratio").unit, "× train")
        XCTAssertEqual(FigureTable.describe("explorer_mlp_train_to_train_ratio_min").unit, "× train (lowest pair)")
        XCTAssertEqual(FigureTable.describe("mlp_train_cpu_us_per_image").unit, "CPU µs/image")
        XCTAssertEqual(FigureTable.describe("torch_mlp_train_windows").name, "torch mlp train")
        XCTAssertEqual(FigureTable.describe("explorer_mlp_train_ui_cpu_ms_per_s").unit, "CPU ms/s")
        XCTAssertEqual(FigureTable.describe("explorer_mlp_train_ui_cpu_ms_per_s").name, "explorer mlp train ui")
        XCTAssertEqual(FigureTable.describe("explorer_cvae_train_letters_decoded_per_s").unit, "letters decoded/s")
    }

    func testRowsAreAlignedUnderAHeading() {
        let text = FigureTable.render([("blas_core", "Haswell"), ("mlp_train_samples_per_sec", "41230"), ("mlp_decode_us", "95.2")])
        XCTAssertEqual(text, """
            figure        value  unit
            blas core   Haswell
            mlp train     41230  samples/s
            mlp decode     95.2  µs
            """)
    }
}
