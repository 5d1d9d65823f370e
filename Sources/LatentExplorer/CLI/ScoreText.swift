/// Scores as people and JSON read them. A score that is not a finite number (a model whose weights
/// overflow) is said in words: JSON has no NaN or infinity, and "nan" in a table reads like a typo.
enum ScoreText {
    /// "not a number (NaN)", "infinite" or "minus infinity".
    static func words(_ value: Double) -> String {
        value.isNaN ? "not a number (NaN)" : (value > 0 ? "infinite" : "minus infinity")
    }

    /// The value for JSONSerialization: the number, or its words as a string.
    static func json(_ value: Double) -> Any { value.isFinite ? value : words(value) }

    /// The value with `format` (e.g. "%.2f"), or its words.
    static func formatted(_ value: Double, _ format: String) -> String {
        value.isFinite ? String(format: format, value) : words(value)
    }
}
