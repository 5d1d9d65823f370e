import Foundation
import VAE

/// Decodes the explorer's batches of latent points (the grid, the interpolation strip, the traversal)
/// on a thread of its own, so that a frame never waits for a decoder: a convolutional decoder takes
/// about 50 µs a letter, and a traversal holds dozens of letters.
///
/// Each slot keeps one pending request (a newer one replaces it: only the latest cursor position
/// matters) and its newest result. A request carries a `BatchDecoder`, an immutable snapshot of the
/// weights, so the worker never touches the UI thread's model.
///
/// @unchecked Sendable: every access to `pending`, `results`, `running` and `freshResults` is under
/// `lock`; the other properties are immutable.
final class DecodeWorker: @unchecked Sendable {
    struct Request: Sendable {
        var points: [Float]
        /// A conditional model's class per point (nil for an unconditional one).
        var classes: [Int32]? = nil
        var version: Int
        var decoder: BatchDecoder
    }

    struct Result: Sendable {
        var points: [Float]
        var classes: [Int32]? = nil
        var version: Int
        var pixels: [Float]
    }

    /// Cheap, cursor-bound work first: the strip, the word line and the alphabet, then the grid, then
    /// the traversal.
    private static let order: [ModelView.DecodeSlot] = [.strip, .word, .alphabet, .grid, .traversal]

    private let lock = NSLock()
    private var pending: [ModelView.DecodeSlot: Request] = [:]
    private var results: [ModelView.DecodeSlot: Result] = [:]
    private var running = false
    private var freshResults = false
    private let queue = DispatchQueue(label: "explorer-decode", qos: .userInitiated)

    /// Asks for `request` in `slot`, unless it is already pending.
    func submit(_ request: Request, slot: ModelView.DecodeSlot) {
        lock.withLock {
            if let waiting = pending[slot], waiting.version == request.version, waiting.points == request.points,
               waiting.classes == request.classes { return }
            pending[slot] = request
            guard !running else { return }
            running = true
            queue.async { self.drain() }
        }
    }

    func result(_ slot: ModelView.DecodeSlot) -> Result? { lock.withLock { results[slot] } }

    /// Whether requests are pending or being decoded.
    var isBusy: Bool { lock.withLock { running } }

    /// Whether decoding is under way or finished results wait to be drawn: read under one lock, so a
    /// result cannot land unnoticed between two checks.
    var needsAttention: Bool { lock.withLock { running || freshResults } }

    /// True once after new results arrived (the caller draws a frame).
    func takeFreshResults() -> Bool {
        lock.withLock {
            defer { freshResults = false }
            return freshResults
        }
    }

    /// Waits until every request so far is decoded (for tests and for a clean shutdown).
    func waitUntilIdle() {
        queue.sync {}
        while isBusy { queue.sync {} }
    }

    private func drain() {
        while true {
            let next: (ModelView.DecodeSlot, Request)? = lock.withLock {
                guard let slot = Self.order.first(where: { pending[$0] != nil }) else {
                    running = false
                    return nil
                }
                return (slot, pending.removeValue(forKey: slot)!)
            }
            guard let (slot, request) = next else { return }
            let pixels = request.points.isEmpty ? [] : request.decoder.decodeBatch(request.points, classes: request.classes)
            lock.withLock {
                results[slot] = Result(points: request.points, classes: request.classes, version: request.version, pixels: pixels)
                freshResults = true
            }
        }
    }
}
