/// Zhang-Suen thinning (Zhang and Suen, CACM 1984): peels a binary shape down to a one-pixel-wide
/// skeleton that keeps its connectivity. The skeleton's pixel count approximates the length of the pen
/// path, so ink area / skeleton length estimates the stroke width.
enum Thinning {
    /// `mask` is `side * side` row-major, true = ink. Returns the skeleton in the same layout.
    static func skeleton(_ mask: [Bool], side: Int) -> [Bool] {
        precondition(mask.count == side * side, "mask must be side x side")
        // A one-pixel border of background keeps every neighbourhood inside the array.
        let padded = side + 2
        var grid = [UInt8](repeating: 0, count: padded * padded)
        for y in 0 ..< side { for x in 0 ..< side where mask[y * side + x] { grid[(y + 1) * padded + x + 1] = 1 } }
        var toDelete: [Int] = []
        var changed = true
        while changed {
            changed = false
            for pass in 0 ..< 2 {
                toDelete.removeAll(keepingCapacity: true)
                for y in 1 ... side {
                    for x in 1 ... side where grid[y * padded + x] == 1 {
                        let i = y * padded + x
                        // Neighbours P2...P9 clockwise from north.
                        let p = SIMD8<UInt8>(grid[i - padded], grid[i - padded + 1], grid[i + 1], grid[i + padded + 1],
                                             grid[i + padded], grid[i + padded - 1], grid[i - 1], grid[i - padded - 1])
                        let neighbours = Int(p.wrappedSum())
                        guard (2 ... 6).contains(neighbours) else { continue }
                        var transitions = 0
                        for k in 0 ..< 8 where p[k] == 0 && p[(k + 1) % 8] == 1 { transitions += 1 }
                        guard transitions == 1 else { continue }
                        // Pass 1 removes south-east boundary pixels, pass 2 north-west ones.
                        let (n, e, s, w) = (p[0], p[2], p[4], p[6])
                        if pass == 0 {
                            guard n * e * s == 0, e * s * w == 0 else { continue }
                        } else {
                            guard n * e * w == 0, n * s * w == 0 else { continue }
                        }
                        toDelete.append(i)
                    }
                }
                for i in toDelete { grid[i] = 0 }
                if !toDelete.isEmpty { changed = true }
            }
        }
        var out = [Bool](repeating: false, count: side * side)
        for y in 0 ..< side { for x in 0 ..< side { out[y * side + x] = grid[(y + 1) * padded + x + 1] == 1 } }
        return out
    }
}
