import ExplorerCore

/// Decodes the mouse reports of xterm's SGR mode (1006), which tmux and modern terminals send:
/// `ESC [ < button ; column ; row M` for a press (`m` for a release), columns and rows counted from 1.
/// Button 0 is the left button; 64 and 65 are the wheel; +4, +8 and +16 add Shift, Alt and Ctrl;
/// +32 marks a motion report (sent with the button held in mode 1002). A release ends in `m`.
public enum MouseSequence {
    /// The event in the characters that follow `ESC [ <` (e.g. "0;12;5M"), or nil when they are not a
    /// complete report or report something the explorer does not use (other buttons, motion with no
    /// button or another one held).
    public static func parse(afterPrefix text: String) -> MouseEvent? {
        guard let last = text.last, last == "M" || last == "m" else { return nil }
        let fields = text.dropLast().split(separator: ";", omittingEmptySubsequences: false)
        guard fields.count == 3, let button = Int(fields[0]), let column = Int(fields[1]), let row = Int(fields[2]),
              button >= 0, column >= 1, row >= 1 else { return nil }
        let kind: MouseEvent.Kind
        let modified = button & (4 | 8 | 16) != 0
        switch (button & ~(4 | 8 | 16), last) {
        case (0, "m"): kind = .release
        case (_, "m"): return nil   // another button's release
        case (32, _): kind = .drag   // motion with the left button held
        case (0, _): kind = .press
        case (64, _): kind = modified ? .modifiedWheelUp : .wheelUp
        case (65, _): kind = modified ? .modifiedWheelDown : .wheelDown
        default: return nil
        }
        return MouseEvent(kind, column: column - 1, row: row - 1)
    }

    /// Whether `text` (after `ESC [ <`) can still grow into a report: digits and semicolons so far.
    public static func isPrefix(_ text: String) -> Bool {
        text.count < 32 && text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ";") }
    }
}
