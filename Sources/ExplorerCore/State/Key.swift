/// A key press as the explorer understands it, independent of the terminal library.
public enum Key: Equatable, Sendable {
    case up, down, left, right
    /// Shift (or another modifier) with an arrow: a big step.
    case bigUp, bigDown, bigLeft, bigRight
    case enter, tab, escape
    case character(Character)
}

/// What the program around the state must do after a key.
public enum ExplorerAction: Equatable, Sendable {
    case none
    case quit
    case toggleTraining
    case save
    /// Enter while browsing: move the cursor to the browsed letter's latent mean (the caller knows it).
    case jumpToBrowsedLetter
}
