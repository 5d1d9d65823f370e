/// Sequences of latent points that show what a model has learnt: a straight path between two codes
/// (interpolation, as in pythae) and one dimension swept with the others held (traversal, as in
/// disentangling-vae). Points come back as `[steps, D]` row-major, ready for a batch decode.
public enum LatentPaths {
    /// `steps` points from `start` to `end`, both included (one step gives `start`).
    public static func interpolation(from start: [Float], to end: [Float], steps: Int) -> [Float] {
        precondition(start.count == end.count, "both ends need the same number of coordinates")
        guard steps > 0 else { return [] }
        var points: [Float] = []
        points.reserveCapacity(steps * start.count)
        for step in 0 ..< steps {
            let t = steps == 1 ? 0 : Float(step) / Float(steps - 1)
            for j in start.indices { points.append(start[j] + (end[j] - start[j]) * t) }
        }
        return points
    }

    /// `steps` copies of `base` with coordinate `dimension` set evenly from `-range` to `range`.
    public static func traversal(of base: [Float], dimension: Int, range: Float, steps: Int) -> [Float] {
        precondition(base.indices.contains(dimension), "dimension \(dimension) is outside the code")
        guard steps > 0 else { return [] }
        var points: [Float] = []
        points.reserveCapacity(steps * base.count)
        for step in 0 ..< steps {
            var point = base
            point[dimension] = sweepValue(step, of: steps, range: range)
            points += point
        }
        return points
    }

    /// The value at `step` of a sweep of `steps` values over `[-range, range]`, ends included.
    public static func sweepValue(_ step: Int, of steps: Int, range: Float) -> Float {
        steps == 1 ? 0 : -range + 2 * range * Float(step) / Float(steps - 1)
    }
}
