/// Building image sets out of parts of others: what mixing data sets and holding letters out need.
extension ImageSet {
    /// The images at `indices`, in that order.
    public func subset(_ indices: [Int]) -> ImageSet {
        var newPixels: [UInt8] = []
        newPixels.reserveCapacity(indices.count * ImageSet.pixelCount)
        for index in indices { newPixels.append(contentsOf: image(index)) }
        return ImageSet(pixels: newPixels, labels: indices.map { labels[$0] })
    }

    /// The images of all `sets`, one after another.
    public static func concatenating(_ sets: [ImageSet]) -> ImageSet {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(sets.reduce(0) { $0 + $1.pixels.count })
        var labels: [Int] = []
        for set in sets {
            pixels.append(contentsOf: set.pixels)
            labels.append(contentsOf: set.labels)
        }
        return ImageSet(pixels: pixels, labels: labels)
    }

    /// Every image `times` times (the whole set repeated): oversampling a small set within a large mix.
    public func repeated(_ times: Int) -> ImageSet {
        precondition(times >= 1, "repeat at least once")
        return ImageSet.concatenating(Array(repeating: self, count: times))
    }
}
