/// One way of writing a letter: its pen strokes, and the share of real writers who write it so.
public struct LetterForm: Sendable {
    /// e.g. "A", "single-storey a", "bar"; the capital's name is the capital letter.
    public var name: String
    public var isCapital: Bool
    /// Fraction of the class's letters written in this form (the shares of a class add up to 1).
    public var share: Float
    var strokes: [Stroke]
}

/// The forms of each letter class and how often each is written.
///
/// The shares were counted by eye on the 1,000 real EMNIST training letters of the partial copy
/// (docs/data.md; 26 to 53 a class; the counts are in the comments). Where
/// a small letter and its capital look the same once EMNIST has scaled them to fill the frame (c, o,
/// p, s, u/U-shaped letters, v, x), both are drawn half the time each, which varies the proportions.
public enum LetterForms {
    public static func forms(label: Int) -> [LetterForm] {
        precondition(LabelledDataset.letterLabels.contains(label), "letters are labelled 1...26")
        return catalogue[label - 1]
    }

    /// Horizontal stretch of each class (index 0 is a), on top of the style's aspect: fitted so that
    /// each class's mean box (width against height) matches the real letters' (`stats --by-class`).
    static let classAspect: [Float] = [
        1.02, 1.0, 1.04, 0.89, 0.96, 0.94, 0.9, 0.9, 1.2, 1.06, 0.96, 1.0, 1.15,
        0.94, 0.95, 0.83, 0.93, 0.9, 0.93, 1.1, 0.95, 0.97, 1.08, 0.83, 0.81, 1.06,
    ]

    /// The form for a uniform draw `u` in [0, 1): forms take consecutive intervals as long as their shares.
    static func choose(label: Int, _ u: Float) -> LetterForm {
        let forms = catalogue[label - 1]
        var cumulative: Float = 0
        for form in forms {
            cumulative += form.share
            if u < cumulative { return form }
        }
        return forms[forms.count - 1]
    }

    private typealias V = GlyphSkeletons.Variants

    private static func small(_ label: Int, _ share: Float, _ name: String? = nil) -> LetterForm {
        let letter = String(UnicodeScalar(UInt8(96 + label)))
        return LetterForm(name: name ?? letter, isCapital: false, share: share,
                          strokes: GlyphSkeletons.strokes(label: label, uppercase: false))
    }

    private static func capital(_ label: Int, _ share: Float) -> LetterForm {
        LetterForm(name: String(UnicodeScalar(UInt8(64 + label))), isCapital: true, share: share,
                   strokes: GlyphSkeletons.strokes(label: label, uppercase: true))
    }

    private static func variant(_ name: String, _ share: Float, capital: Bool = false, _ strokes: [Stroke]) -> LetterForm {
        LetterForm(name: name, isCapital: capital, share: share, strokes: strokes)
    }

    static let catalogue: [[LetterForm]] = [
        // a: 15 A, 18 single-storey, 6 double-storey of 39.
        [capital(1, 0.38), small(1, 0.46, "single-storey a"), variant("double-storey a", 0.16, V.doubleStoreyA)],
        // b: 22 B, 11 b, 2 looped b of 35.
        [capital(2, 0.63), small(2, 0.31), variant("looped b", 0.06, V.loopedB)],
        // c: one shape in either case.
        [small(3, 0.5), capital(3, 0.5)],
        // d: 14 D, 24 d of 38.
        [capital(4, 0.37), small(4, 0.63)],
        // e: 6 E, 38 e of 44.
        [capital(5, 0.14), small(5, 0.86)],
        // f: 26 F, 27 f of 53.
        [capital(6, 0.49), small(6, 0.51)],
        // g: 16 G, 17 single-storey, 3 double-storey of 36.
        [capital(7, 0.44), small(7, 0.47, "single-storey g"), variant("double-storey g", 0.09, V.doubleStoreyG)],
        // h: 13 H, 28 h of 41.
        [capital(8, 0.32), small(8, 0.68)],
        // i: 30 bars, 5 I with serifs, 5 dotted i of 40.
        [variant("bar i", 0.75, V.bar), capital(9, 0.125), small(9, 0.125, "dotted i")],
        // j: 17 J with a top bar, 18 hooks, 1 dotted j of 36.
        [capital(10, 0.47), variant("hook j", 0.5, V.hookJ), small(10, 0.03, "dotted j")],
        // k: 31 K, 11 k of 42.
        [capital(11, 0.74), small(11, 0.26)],
        // l: 23 bars (some with a foot), 11 L, 1 looped l of 35.
        [variant("bar l", 0.48, V.bar), variant("l with a foot", 0.18, V.barWithFoot), capital(12, 0.31),
         variant("looped l", 0.03, V.loopedL)],
        // m: about 11 M, 27 m of 38.
        [capital(13, 0.3), small(13, 0.7)],
        // n: about 16 N, 20 n of 36.
        [capital(14, 0.45), small(14, 0.55)],
        // o: one shape in either case.
        [small(15, 0.5), capital(15, 0.5)],
        // p: P and p look alike once framed.
        [capital(16, 0.5), small(16, 0.5)],
        // q: 17 Q, 20 q of 37.
        [capital(17, 0.47), small(17, 0.53)],
        // r: 14 R, 32 r of 46.
        [capital(18, 0.3), small(18, 0.7)],
        // s: one shape in either case.
        [small(19, 0.5), capital(19, 0.5)],
        // t: 14 T, 23 t of 37, most of them plain crosses.
        [capital(20, 0.38), small(20, 0.17), variant("cross t", 0.45, V.crossT)],
        // u: about 14 U, 18 u of 32.
        [capital(21, 0.45), small(21, 0.55)],
        // v: one shape in either case.
        [small(22, 0.5), capital(22, 0.5)],
        // w: about 20 pointed, 17 rounded of 37.
        [capital(23, 0.3), small(23, 0.25), variant("rounded w", 0.45, V.roundedW)],
        // x: one shape in either case.
        [small(24, 0.5), capital(24, 0.5)],
        // y: about 21 Y, 24 y with a straight tail, 5 cup-shaped of 50.
        [capital(25, 0.42), small(25, 0.48), variant("cup y", 0.1, V.cupY)],
        // z: 36 Z, 4 barred of 40.
        [small(26, 0.45), capital(26, 0.45), variant("barred z", 0.1, capital: true, V.barredZ)],
    ]
}
