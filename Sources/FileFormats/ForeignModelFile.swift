/// Model files of other programs, recognised from their first bytes so that the refusal says what the
/// file is and how to bring it in, instead of reading a safetensors header length out of a zip archive.
public enum ForeignModelFile {
    /// What the file is, when its first bytes say: `torch.save`'s zip archive (PyTorch 1.6 and later),
    /// a bare pickle (older `torch.save`), or HDF5 (Keras' `.h5`).
    public static func kind(_ first: some Collection<UInt8>) -> String? {
        let bytes = Array(first.prefix(8))
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "a PyTorch checkpoint (torch.save's zip archive)" }
        if bytes.count >= 2, bytes[0] == 0x80, (2 ... 5).contains(bytes[1]) { return "a PyTorch checkpoint (a pickle, as older torch.save wrote)" }
        if bytes == [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A] { return "an HDF5 file (a Keras .h5 model)" }
        return nil
    }

    /// The command that converts `path` to our format: the same name ending in .safetensors.
    public static func convertCommand(_ path: String) -> String {
        var stem = path
        for ext in [".pt", ".pth", ".h5", ".hdf5", ".keras", ".bin", ".ckpt"] where stem.lowercased().hasSuffix(ext) {
            stem = String(stem.dropLast(ext.count))
            break
        }
        return "latent-explorer-torch convert \(path) --out \(stem).safetensors"
    }
}
