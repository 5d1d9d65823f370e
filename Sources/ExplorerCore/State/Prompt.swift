/// A question on the status line that the next key answers. While one is asked, no other key acts:
/// nothing is replaced or lost without a deliberate answer.
public enum Prompt: Equatable, Sendable {
    /// The save target exists: y replaces it, n or Esc keeps it. `thenQuit`: the save was asked for on
    /// the way out, and the explorer quits once it succeeded.
    case replaceFile(path: String, thenQuit: Bool)
    /// Quitting with trained weights that were never saved: s saves and quits, d discards and quits,
    /// c or Esc stays. `interrupted`: asked because of Ctrl-C, which, pressed again, quits at once.
    case unsavedTraining(interrupted: Bool)

    /// The question, for the status line.
    public var question: String {
        switch self {
        case .replaceFile(let path, _):
            return "\(path) exists: replace it? y replaces · n keeps it"
        case .unsavedTraining(let interrupted):
            return "The trained weights are not saved: s save and quit · d discard and quit · c cancel"
                + (interrupted ? " (Ctrl-C again quits)" : "")
        }
    }
}

extension ExplorerState {
    /// The answer to the open prompt; keys that answer nothing leave it open.
    mutating func answer(_ open: Prompt, with key: Key) -> ExplorerAction {
        switch (open, key) {
        case (.replaceFile(_, let thenQuit), .character("y")), (.replaceFile(_, let thenQuit), .character("Y")):
            prompt = nil
            return .save(replacing: true, thenQuit: thenQuit)
        case (.replaceFile, .character("n")), (.replaceFile, .character("N")), (.replaceFile, .escape):
            prompt = nil
            return .notice("Nothing saved; the file is as it was (--save-to names another)")
        case (.unsavedTraining, .character("s")), (.unsavedTraining, .character("S")):
            prompt = nil
            return .save(replacing: false, thenQuit: true)
        case (.unsavedTraining, .character("d")), (.unsavedTraining, .character("D")):
            prompt = nil
            return .quitDiscarding
        case (.unsavedTraining, .character("c")), (.unsavedTraining, .character("C")), (.unsavedTraining, .escape):
            prompt = nil
            return .notice("Still here; s saves the weights")
        default:
            return .none
        }
    }

    /// Opens a prompt (the controller decides when one is needed).
    public mutating func ask(_ question: Prompt) {
        prompt = question
        showsHelp = false
    }
}
