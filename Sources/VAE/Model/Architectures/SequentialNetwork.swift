import Support

/// A VAE network built from its layer table and driven by it: the layers in the table's order, the
/// batch passes (`SequentialBatchPass`: llm.c's forward/backward pairs looped over the encoder's and
/// the decoder's rows, the backward in reverse) and the BLAS-free point decoder
/// (`SequentialPointDecoder`). An architecture whose layers form a chain on each side declares its
/// table and subclasses this; only a network that is not such a chain writes its own passes, from the
/// same `NetworkLayer`s.
///
///     encoder: x [N] (or [x, onehot(y)] [N + C]) -> encoder rows -> hidden [H] -> mean [L], logvar [L]
///     decoder: z [L] (or [z, onehot(y)] [L + C]) -> decoder rows -> logits [N]
public class SequentialNetwork {
    public let configuration: ModelConfiguration
    /// The declaration the network was built from.
    let table: LayerTable
    /// Every layer in the table's (parameter) order, the heads' two among them.
    let layers: [any NetworkLayer]
    /// The encoder's rows before the heads, and the decoder's.
    let encoder: [any NetworkLayer], decoder: [any NetworkLayer]
    let heads: GaussianHeads
    /// The table's buffers, in its order: kept, saved and loaded, never trained.
    public let buffers: [Parameter]

    /// The network `table` declares for `configuration`, every parameter zero.
    init(configuration: ModelConfiguration, table: LayerTable) {
        precondition(!table.encoderLayers.isEmpty && !table.decoderLayers.isEmpty, "each half needs a layer besides the heads")
        self.configuration = configuration
        self.table = table
        let heads = table.gaussianHeads()
        self.heads = heads
        let built = Dictionary(uniqueKeysWithValues: table.layers.map { spec -> (String, any NetworkLayer) in
            (spec.name, GaussianHeads.names.contains(spec.name) ? (spec.name == GaussianHeads.names[0] ? heads.mean : heads.logVariance)
                                                                : spec.makeLayer())
        })
        layers = table.layers.map { built[$0.name]! }
        buffers = table.bufferShapes.map { Parameter(name: $0.name, shape: $0.shape) }
        encoder = table.encoderLayers.map { built[$0.name]! }
        decoder = table.decoderLayers.map { built[$0.name]! }
        precondition(decoder.last!.outputSize == configuration.inputSize, "the decoder must give back the image size")
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    public func initialize(using generator: inout SeededGenerator) {
        for layer in layers { layer.initialize(using: &generator) }
    }

    public func makeBatchPass(batchCapacity: Int, pool: ComputePool) -> any NetworkBatchPass {
        SequentialBatchPass(network: self, batchCapacity: batchCapacity, pool: pool)
    }

    public func makePointDecoder() -> any PointDecoder {
        SequentialPointDecoder(table: table, decoder: decoder, latentDim: configuration.latentDim)
    }
}
