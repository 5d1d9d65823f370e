/// pytorch/examples' VAE (`vae/main.py`): `fc1` (784 -> 400, ReLU), `fc21` (the mean) and `fc22` (the
/// log-variance) (400 -> 20), `fc3` (20 -> 400, ReLU), `fc4` (400 -> 784, then a sigmoid, which is our
/// Bernoulli logits). It is our MLP under other module names; a file with exactly these tensors
/// (`safetensors.torch.save_file(model.state_dict(), ...)`), of any sizes, opens as one.
public enum PyTorchExamplesLayout {
    /// Its module names and ours (`MLPNetwork`'s layer table).
    public static let moduleNames: [(theirs: String, ours: String)] = [
        ("fc1", "encoder.hidden"), ("fc21", "encoder.mean"), ("fc22", "encoder.logvar"),
        ("fc3", "decoder.hidden"), ("fc4", "decoder.output"),
    ]

    /// Tensor name in the file -> our tensor name, for weights and biases.
    static let tensorNames: [String: String] = Dictionary(uniqueKeysWithValues: moduleNames.flatMap { pair in
        ["weight", "bias"].map { ("\(pair.theirs).\($0)", "\(pair.ours).\($0)") }
    })

    /// Whether a file's tensor names are exactly pytorch/examples' ten.
    public static func matches(_ names: some Collection<String>) -> Bool {
        Set(names) == Set(tensorNames.keys)
    }

    /// `name` under our module names (unchanged when it is not one of the layout's).
    public static func renamed(_ name: String) -> String { tensorNames[name] ?? name }

    /// The one line said when such a file is opened, e.g. "pytorch/examples VAE layout (fc1, fc21, fc22,
    /// fc3, fc4) read as mlp 784-400-20-400-784".
    public static func note(_ described: String) -> String {
        "pytorch/examples VAE layout (\(moduleNames.map(\.theirs).joined(separator: ", "))) read as \(described)"
    }
}
