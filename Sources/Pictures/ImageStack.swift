/// The images a picture shows, as data: `count` images of `height x width` grey values, each row-major
/// and upright, in the picture's reading order (left to right, top to bottom). `.idx` and `.idx.gz`
/// outputs hold these rather than the drawing, so that other tools can read the decoded images.
public struct ImageStack: Sendable, Equatable {
    public var count: Int
    public var width: Int
    public var height: Int
    /// `count * height * width` grey values 0...255.
    public var pixels: [UInt8]

    public init(count: Int, width: Int, height: Int, pixels: [UInt8]) {
        precondition(count >= 0 && width > 0 && height > 0 && pixels.count == count * width * height, "pixels must fill the images")
        self.count = count
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}

extension TilePicture {
    /// The images the picture holds: those it was given as `dataImages` (e.g. `write`'s letters, drawn
    /// as whole lines), else its tiles in order.
    public var images: ImageStack {
        dataImages ?? ImageStack(count: rows * columns, width: tileWidth, height: tileHeight, pixels: tiles)
    }
}
