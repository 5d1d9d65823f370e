/// A key press as the explorer understands it, independent of the terminal library.
public enum Key: Hashable, Sendable {
    case up, down, left, right
    /// Shift (or another modifier) with an arrow: a big step.
    case bigUp, bigDown, bigLeft, bigRight
    case enter, tab, escape
    case character(Character)
    /// A function key: F1 is the help, as in htop and btop.
    case function(Int)
}

/// A mouse event at a screen cell (0-based column and row), as the terminal reports it.
public struct MouseEvent: Equatable, Sendable {
    /// What the mouse did.
    public enum Kind: Equatable, Sendable {
        /// The left button went down.
        case press
        /// The pointer moved with the left button held (a motion report), and the button went up: only
        /// draw mode's canvas uses them (a stroke); elsewhere they do nothing.
        case drag, release
        /// The wheel turned away from the user (zoom in) or towards the user (zoom out).
        case wheelUp, wheelDown
        /// The wheel with Shift, Alt or Ctrl held: larger (away) or smaller (towards) tiles.
        case modifiedWheelUp, modifiedWheelDown
    }

    public var kind: Kind
    public var column: Int
    public var row: Int

    public init(_ kind: Kind, column: Int, row: Int) {
        self.kind = kind
        self.column = column
        self.row = row
    }
}

/// Everything that reaches the explorer from the terminal.
public enum Input: Equatable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
}

/// What the code around the state must do after an input: the controller does the part that needs
/// the model (a browsed letter's code, a class's centre, a notice) and hands the rest to the session.
public enum ExplorerAction: Equatable, Sendable {
    case none
    case quit
    /// The answer d to "not saved: quit?": quit without asking again.
    case quitDiscarding
    case toggleTraining
    /// Save the weights. `replacing`: the user agreed to replace an existing file (the answer y);
    /// `thenQuit`: quit once saved (the answer s to "not saved: quit?").
    case save(replacing: Bool, thenQuit: Bool)
    /// `C` on the plane: draw in the next of the terminal's colour modes (`ColourModes`).
    case cycleColours
    /// Enter while browsing: anchor the hidden dimensions at the browsed letter's code and put the
    /// cursor on it (the caller knows the code).
    case anchorAtBrowsedLetter
    /// `M` while browsing: the browsed letter's code becomes interpolation point A.
    case markBrowsedLetter
    /// `g` and a letter: put the cursor on that class's centre, its mean test code (the label).
    case goToClassCentre(label: Int)
    /// A one-line explanation for the status line (e.g. a class with no test letters).
    case notice(String)
    /// `{` and `}`: multiply the KL weight β of training by this factor (1/2 or 2).
    case scaleKLWeight(Double)
    /// Enter in draw mode: put the cursor on the drawing's code (the caller reads the drawing).
    case goToDrawing
    /// `S` in draw mode: save the prepared drawing as a PNG.
    case saveDrawing
}
