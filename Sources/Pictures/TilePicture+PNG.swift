import FileFormats

extension TilePicture {
    /// The picture as a greyscale PNG, `scale` output pixels per picture unit (nearest neighbour, so the
    /// tiles' pixels and the font's stay sharp squares).
    public func png(scale: Int) -> (bytes: [UInt8], width: Int, height: Int) {
        let raster = self.raster()
        let (width, height) = (raster.width * scale, raster.height * scale)
        var pixels = [UInt8](repeating: 0, count: width * height)
        for y in 0 ..< height {
            let source = (y / scale) * raster.width
            for x in 0 ..< width { pixels[y * width + x] = raster.pixels[source + x / scale] }
        }
        return (PNGEncoder.encodeGray(width: width, height: height, pixels: pixels), width, height)
    }

    /// The picture at scale 1: paper, tiles, and the text set in `BitmapFont`.
    public func raster() -> (width: Int, height: Int, pixels: [UInt8]) {
        let layout = self.layout
        var pixels = [UInt8](repeating: Self.paper, count: layout.width * layout.height)
        let tileSize = tileWidth * tileHeight
        for tile in 0 ..< rows * columns {
            let origin = layout.tileOrigin(row: tile / columns, column: tile % columns)
            for y in 0 ..< tileHeight {
                let target = (origin.y + y) * layout.width + origin.x
                let source = tile * tileSize + y * tileWidth
                pixels.replaceSubrange(target ..< target + tileWidth, with: tiles[source ..< source + tileWidth])
            }
        }
        for line in layout.texts {
            for (index, character) in line.text.enumerated() {
                let left = line.x + index * BitmapFont.advance
                for y in 0 ..< BitmapFont.glyphHeight {
                    for x in 0 ..< BitmapFont.glyphWidth where BitmapFont.isInk(character, x: x, y: y) {
                        let (px, py) = (left + x, line.y + y)
                        if px >= 0, px < layout.width, py >= 0, py < layout.height { pixels[py * layout.width + px] = Self.ink }
                    }
                }
            }
        }
        return (layout.width, layout.height, pixels)
    }
}
