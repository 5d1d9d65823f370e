import Foundation
import Synchronization
import VAE

/// Decodes the explorer's batches of latent points (the grid, the interpolation strip, the traversal)
/// on a thread of its own, so that a frame never waits for a decoder: a convolutional decoder takes
/// about 50 µs a letter, and a traversal holds dozens of letters.
///
/// Each slot keeps one pending request (a newer one replaces it: only the latest cursor position
/// matters) and its newest result. A request carries a `BatchDecoder`, an immutable snapshot of the
/// weights, so the worker never touches the UI thread's model.
///
/// `Sendable` through its one `Mutex`: the pending requests, the newest results and the two flags
/// change together under it; the queue is `Sendable` and immutable.
final class DecodeWorker: Sendable {
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

    /// What the UI thread and the worker share.
    private struct Shared {
        var pending: [ModelView.DecodeSlot: Request] = [:]
        var results: [ModelView.DecodeSlot: Result] = [:]
        var running = false
        var freshResults = false
    }

    private let shared = Mutex(Shared())
    /// The worker's CPU time spent decoding and the letters it decoded, since it was made (the bench's
    /// account of what the explorer's drawing costs while training runs).
    private let work = Mutex((cpuNanoseconds: 0, letters: 0))
    private let queue = DispatchQueue(label: "explorer-decode", qos: .userInitiated)

    /// Asks for `request` in `slot`, unless it is already pending.
    func submit(_ request: Request, slot: ModelView.DecodeSlot) {
        let start = shared.withLock { shared -> Bool in
            if let waiting = shared.pending[slot], waiting.version == request.version, waiting.points == request.points,
               waiting.classes == request.classes { return false }
            shared.pending[slot] = request
            guard !shared.running else { return false }
            shared.running = true
            return true
        }
        if start { queue.async { self.drain() } }
    }

    /// The CPU time spent decoding so far and the letters decoded.
    var workDone: (cpuNanoseconds: Int, letters: Int) { work.withLock { $0 } }

    func result(_ slot: ModelView.DecodeSlot) -> Result? { shared.withLock { $0.results[slot] } }

    /// Whether requests are pending or being decoded.
    var isBusy: Bool { shared.withLock { $0.running } }

    /// Whether decoding is under way or finished results wait to be drawn: read under one lock, so a
    /// result cannot land unnoticed between two checks.
    var needsAttention: Bool { shared.withLock { $0.running || $0.freshResults } }

    /// True once after new results arrived (the caller draws a frame).
    func takeFreshResults() -> Bool {
        shared.withLock { shared in
            defer { shared.freshResults = false }
            return shared.freshResults
        }
    }

    /// Waits until every request so far is decoded (for tests and for a clean shutdown).
    func waitUntilIdle() {
        queue.sync {}
        while isBusy { queue.sync {} }
    }

    private func drain() {
        while true {
            let next: (ModelView.DecodeSlot, Request)? = shared.withLock { shared in
                guard let slot = Self.order.first(where: { shared.pending[$0] != nil }) else {
                    shared.running = false
                    return nil
                }
                return (slot, shared.pending.removeValue(forKey: slot)!)
            }
            guard let (slot, request) = next else { return }
            let started = ThreadCPUClock.nanoseconds()
            let pixels = request.points.isEmpty ? [] : request.decoder.decodeBatch(request.points, classes: request.classes)
            let spent = ThreadCPUClock.nanoseconds() - started
            work.withLock { $0 = ($0.cpuNanoseconds + spent, $0.letters + request.points.count / request.decoder.latentDim) }
            shared.withLock { shared in
                shared.results[slot] = Result(points: request.points, classes: request.classes, version: request.version, pixels: pixels)
                shared.freshResults = true
            }
        }
    }
}
