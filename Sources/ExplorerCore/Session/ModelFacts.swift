import LetterData

/// What the renderer may read of a model's view: the test letters, their codes and where they come
/// from. Read-only by construction: nothing here decodes, caches or submits work (that is
/// `FramePreparation`'s job, before a frame is drawn).
public protocol ModelFacts: AnyObject {
    var latentDim: Int { get }
    var test: ImageSet { get }
    var testSourceIndices: [Int] { get }
    var testImagesAreReal: Bool { get }
    /// Latent dimensions from the most used by the encoder to the least.
    var dimensionsBySpread: [Int] { get }
    /// The spread of the test codes along `dimension`.
    func spread(_ dimension: Int) -> Float
    /// Latent mean of test image `index`.
    func testCode(_ index: Int) -> [Float]
    /// The mean test code of each class.
    var classCentres: ClassCentres { get }
    /// Test image `index` as floats in [0, 1].
    func testImage(_ index: Int) -> [Float]
    /// Whether the model is told the letter (its plane is a style plane), and its classes' names.
    var isConditional: Bool { get }
    var classNames: [String] { get }
}

extension ModelView: ModelFacts {}
