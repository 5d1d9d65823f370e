import Support

extension ImageSet {
    /// Splits the images in two at random, class by class: `fraction` of each class's images (rounded
    /// to the nearest whole image) go to `heldOut`, the rest to `kept`, both in their original order.
    ///
    /// Stratified because some files are sorted by class (NIST's letters test file holds 800 a's, then
    /// 800 b's, ...), so a plain cut would hold out whole classes; seeded, so a run can be repeated.
    public func stratifiedSplit(heldOutFraction fraction: Double, seed: UInt64) -> (kept: ImageSet, heldOut: ImageSet) {
        precondition(fraction >= 0 && fraction <= 1, "the held-out fraction must be in [0, 1]")
        var generator = SeededGenerator(seed: seed)
        var heldOut = [Bool](repeating: false, count: count)
        for label in Set(labels).sorted() {
            var members = indices(ofLabel: label)
            members.shuffle(using: &generator)
            let take = Int((Double(members.count) * fraction).rounded())
            for index in members.prefix(take) { heldOut[index] = true }
        }
        return (subset(labels.indices.filter { !heldOut[$0] }), subset(labels.indices.filter { heldOut[$0] }))
    }
}
