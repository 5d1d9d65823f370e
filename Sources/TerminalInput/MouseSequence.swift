import ExplorerCore

/// Decodes the mouse reports of xterm's SGR mode (1006), which tmux and modern terminals send:
/// `ESC [ < button ; column ; row M` for a press (`m` for a release), columns and rows counted from 1.
/// Button 0 is the left button; 64 and 65 are the wheel; +4, +8 and +16 add Shift, Alt and Ctrl;
/// +32 marks a motion report.
public enum MouseSequence {
    /// The event in the characters that follow `ESC [ <` (e.g. "0;12;5M"), or nil when they are not a
    /// complete report or report something the explorer does not use (releases, other buttons, motion).
    public static func parse(afterPrefix text: String) -> MouseEvent? {
        guard let last = text.last, last == "M" || last == "m" else { return nil }
        let fields = text.dropLast().split(separator: ";", omittingEmptySubsequences: false)
        guard fields.count == 3, let button = Int(fields[0]), let column = Int(fields[1]), let row = Int(fields[2]),
              button >= 0, column >= 1, row >= 1 else { return nil }
        guard last == "M", button & 32 == 0 else { return nil }   // a release or a motion report
        let kind: MouseEvent.Kind
        let modified = button & (4 | 8 | 16) != 0
        switch button & ~(4 | 8 | 16) {
        case 0: kind = .press
        case 64: kind = modified ? .modifiedWheelUp : .wheelUp
        case 65: kind = modified ? .modifiedWheelDown : .wheelDown
        default: return nil
        }
        return MouseEvent(kind, column: column - 1, row: row - 1)
    }

    /// Whether `text` (after `ESC [ <`) can still grow into a report: digits and semicolons so far.
    public static func isPrefix(_ text: String) -> Bool {
        text.count < 32 && text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ";") }
    }
}
