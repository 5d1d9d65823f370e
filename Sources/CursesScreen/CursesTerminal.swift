import CNcursesw
import ExplorerCore
import Foundation
import TerminalInput

/// The only code that talks to ncurses: start and restore the terminal, read keys, paint cell buffers.
///
/// Painting diffs against the previous frame and writes only the changed cells, then one `doupdate`
/// per frame, so nothing flickers and an idle screen costs nothing.
///
/// This target alone builds in the Swift 5 language mode: ncurses' state is mutable C globals
/// (`stdscr`, `cur_term`, `COLORS`), which Swift 6 rejects as unsafe shared state. Only the UI thread
/// uses a `CursesTerminal`.
public final class CursesTerminal {
    private var screen: OpaquePointer?
    /// Colours the terminal has (0 without colour).
    public private(set) var colourCount = 0
    private var previous: CellBuffer?
    /// Whether ncurses last reported the left button down: where it asks the terminal for every motion
    /// (mode 1003), only motion while the button is held is a drag.
    private var leftButtonHeld = false
    private var pairs: [ColourPair: Int32] = [:]
    private var nextPair: Int32 = 1
    private var maxPairs: Int32 = 0
    /// Called just before the screen is taken, and when it is given back (or could not be taken).
    private let onTake: () -> Void, onGiveBack: () -> Void

    /// `onTake` runs just before ncurses changes the terminal (save what must be restored after a
    /// crash); `onGiveBack` once it is restored, or could not be taken.
    public init(onTake: @escaping () -> Void = {}, onGiveBack: @escaping () -> Void = {}) {
        (self.onTake, self.onGiveBack) = (onTake, onGiveBack)
    }

    private struct ColourPair: Hashable {
        var foreground: Int32
        var background: Int32
    }

    /// Checks, before anything is loaded or the screen taken, that standard input and output are a
    /// terminal whose type (TERM) ncurses knows and that can move the cursor: TERM=dumb, an unset or
    /// unknown TERM get one clear line instead of a garbled screen.
    public static func checkUsable(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw TerminalUnusable("the explorer needs a terminal (standard input and output are not one)")
        }
        guard let term = environment["TERM"], !term.isEmpty else {
            throw TerminalUnusable("TERM is not set: the explorer needs to know the terminal type (e.g. TERM=xterm-256color)")
        }
        var status: Int32 = 0
        guard setupterm(term, STDOUT_FILENO, &status) == OK, status == 1 else {
            throw TerminalUnusable("unknown terminal type TERM=\(term): install its terminfo entry or use e.g. TERM=xterm-256color")
        }
        defer { del_curterm(cur_term) }
        let cursorAddress = tigetstr("cup")
        guard let cursorAddress, Int(bitPattern: cursorAddress) != -1 else {
            throw TerminalUnusable("TERM=\(term) cannot move the cursor, and the explorer draws a full screen: run it in a terminal such as xterm-256color")
        }
    }

    /// Takes over the terminal. Throws, with the terminal untouched, when it cannot.
    public func start(useColour: Bool) throws {
        setlocale(LC_ALL, "")
        isUnicode = String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        try Self.checkUsable()
        onTake()   // before the screen changes: the settings saved are the shell's
        guard let screen = newterm(nil, stdout, stdin) else {
            onGiveBack()
            throw TerminalUnusable("cannot start the terminal: unknown or unsupported TERM '\(ProcessInfo.processInfo.environment["TERM"] ?? "")'")
        }
        self.screen = screen
        set_term(screen)
        cbreak()
        noecho()
        nonl()
        keypad(stdscr, true)
        set_escdelay(25)
        curs_set(0)
        if useColour && has_colors() {
            start_color()
            use_default_colors()
            colourCount = Int(COLORS)
            maxPairs = COLOR_PAIRS
        }
        enableMouse()
    }

    /// Clicks, drags and the wheel. ncurses is told (it decodes the reports when the terminfo entry
    /// describes them), and the terminal is asked for SGR reports (mode 1006) of presses, releases and
    /// motion while a button is held (mode 1002: draw mode's strokes) directly: tmux's own entry names
    /// only the old X10 format, so SGR reports arrive as plain characters that `readInput` decodes.
    private func enableMouse() {
        mouseinterval(0)
        _ = mousemask(mmask_t(Self.allMouseEvents | Self.reportPosition), nil)
        writeToTerminal("\u{1B}[?1000h\u{1B}[?1002h\u{1B}[?1006h")
    }

    private func writeToTerminal(_ text: String) {
        fputs(text, stdout)
        fflush(stdout)
    }

    /// Gives the terminal back as it was. Safe to call more than once.
    public func stop() {
        guard let screen else { return }
        writeToTerminal("\u{1B}[?1006l\u{1B}[?1002l\u{1B}[?1000l")
        _ = mousemask(0, nil)
        clearAlternateScreen()
        endwin()
        delscreen(screen)
        self.screen = nil
        onGiveBack()
    }

    /// Blanks the alternate screen before `endwin` leaves it. A terminal enlarged since the screen was
    /// taken (tmux) shrinks the alternate screen back to the saved size on the way out and shows rows of
    /// what it held above the shell's own lines; blank, nothing of the explorer can come back. Only
    /// where the terminal has an alternate screen: without one, the shell's screen is the explorer's.
    private func clearAlternateScreen() {
        guard let exitAlternate = tigetstr("rmcup"), Int(bitPattern: exitAlternate) != -1 else { return }
        wattrset(stdscr, 0)
        wclear(stdscr)
        wrefresh(stdscr)
    }

    /// Whether the locale's character set is UTF-8 (else the renderer draws ASCII only).
    public private(set) var isUnicode = true

    /// The screen's size in cells.
    public var size: (width: Int, height: Int) { (Int(getmaxx(stdscr)), Int(getmaxy(stdscr))) }

    /// The next input as the explorer's event, waiting at most `timeoutMilliseconds` (nil when nothing
    /// came, or something the explorer does not use): the one translation from the terminal's input.
    public func readInput(timeoutMilliseconds: Int32) -> Input? {
        wtimeout(stdscr, timeoutMilliseconds)
        var value: wint_t = 0
        let result = wget_wch(stdscr, &value)
        if result == KEY_CODE_YES {
            switch Int32(value) {
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_SR: return .key(.bigUp)
            case KEY_SF: return .key(.bigDown)
            case KEY_SLEFT: return .key(.bigLeft)
            case KEY_SRIGHT: return .key(.bigRight)
            case KEY_ENTER: return .key(.enter)
            case KEY_BTAB: return .key(.tab)
            case Self.functionKey1: return .key(.function(1))
            case KEY_BACKSPACE: return .key(.character("\u{7F}"))
            case KEY_MOUSE: return readCursesMouse()
            case KEY_RESIZE:
                previous = nil
                return .resize(width: size.width, height: size.height)
            default: return Self.modifiedArrow(Int32(value))
            }
        }
        guard result == OK, let scalar = Unicode.Scalar(UInt32(value)) else { return nil }
        switch scalar.value {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return readEscapeSequence()
        default: return .key(.character(Character(scalar)))
        }
    }

    /// A mouse event ncurses decoded itself.
    private func readCursesMouse() -> Input? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let state = UInt(event.bstate)
        let modified = state & Self.modifierKeys != 0
        let kind: MouseEvent.Kind
        if state & (Self.button1Pressed | Self.button1Clicked) != 0 {
            kind = .press
            leftButtonHeld = state & Self.button1Pressed != 0
        } else if state & Self.button1Released != 0 {
            kind = .release
            leftButtonHeld = false
        } else if state & Self.reportPosition != 0 {
            guard leftButtonHeld else { return nil }   // the pointer passing over: no frame for it
            kind = .drag
        } else if state & Self.button4Pressed != 0 {
            kind = modified ? .modifiedWheelUp : .wheelUp
        } else if state & Self.button5Pressed != 0 {
            kind = modified ? .modifiedWheelDown : .wheelDown
        } else {
            return nil
        }
        return .mouse(MouseEvent(kind, column: Int(event.x), row: Int(event.y)))
    }

    /// After ESC: the Esc key alone, an SGR mouse report (`ESC [ < b ; x ; y M`), or another sequence
    /// ncurses did not know (ignored, so that it never counts as Esc and quits).
    private func readEscapeSequence() -> Input? {
        guard let first = nextCharacter(timeoutMilliseconds: Self.sequenceGapMilliseconds) else { return .key(.escape) }
        if first == "\u{1B}" {
            // Esc pressed twice quickly: this one is a key, the next read sees the other.
            unget_wch(wchar_t(27))
            return .key(.escape)
        }
        guard first == "[" else { return nil }                      // Alt+key: not used
        guard let second = nextCharacter(timeoutMilliseconds: Self.sequenceGapMilliseconds) else { return nil }
        if second == "<" {
            var text = ""
            while let next = nextCharacter(timeoutMilliseconds: Self.sequenceGapMilliseconds) {
                text.append(next)
                if next == "M" || next == "m" { break }
                if !MouseSequence.isPrefix(text) { return nil }
            }
            return MouseSequence.parse(afterPrefix: text).map { .mouse($0) } ?? .none
        }
        // Another control sequence: parameter bytes, then a final byte in @...~ (e.g. ESC [ 2 0 0 ~).
        var current = second
        for _ in 0 ..< 16 where !("@" ... "~").contains(current) {
            guard let next = nextCharacter(timeoutMilliseconds: Self.sequenceGapMilliseconds) else { break }
            current = next
        }
        return nil
    }

    private func nextCharacter(timeoutMilliseconds: Int32) -> Character? {
        wtimeout(stdscr, timeoutMilliseconds)
        var value: wint_t = 0
        guard wget_wch(stdscr, &value) == OK, let scalar = Unicode.Scalar(UInt32(value)) else { return nil }
        return Character(scalar)
    }

    /// KEY_F(1): KEY_F0 + 1 (a macro Swift cannot import).
    private static let functionKey1 = KEY_F0 + 1

    /// The longest pause inside one escape sequence (a terminal writes a sequence in one go).
    private static let sequenceGapMilliseconds: Int32 = 30

    // ncurses' mouse masks are macros Swift cannot import: NCURSES_MOUSE_MASK(button, event) is
    // event << ((button - 1) * 5), with pressed = 2 and clicked = 4 (mouse interface version 2).
    private static let button1Released: UInt = 0o1
    private static let button1Pressed: UInt = 0o2
    private static let button1Clicked: UInt = 0o4
    private static let button4Pressed: UInt = 0o2 << 15
    private static let button5Pressed: UInt = 0o2 << 20
    private static let allMouseEvents: UInt = (0o10 << 25) - 1
    /// REPORT_MOUSE_POSITION: NCURSES_MOUSE_MASK(6, 010).
    private static let reportPosition: UInt = 0o10 << 25
    /// BUTTON_CTRL, BUTTON_SHIFT and BUTTON_ALT: NCURSES_MOUSE_MASK(6, 1, 2 and 4).
    private static let modifierKeys: UInt = 0o7 << 25

    /// Ctrl-, Alt- or Shift-arrows that terminfo names kUP3, kLFT5, kDN6, ... (xterm's modified
    /// cursor keys): a big step, like shift.
    private static func modifiedArrow(_ code: Int32) -> Input? {
        guard let name = keyname(code).map({ String(cString: $0) }) else { return nil }
        let arrows: [(String, Key)] = [("kUP", .bigUp), ("kDN", .bigDown), ("kLFT", .bigLeft), ("kRIT", .bigRight)]
        for (prefix, key) in arrows where name.hasPrefix(prefix) && name.count > prefix.count { return .key(key) }
        return nil
    }

    /// Paints the cells that changed since the last frame and shows them in one update.
    public func paint(_ buffer: CellBuffer) {
        let full = previous.map { $0.width != buffer.width || $0.height != buffer.height } ?? true
        if full { werase(stdscr) }
        for y in 0 ..< buffer.height {
            for x in 0 ..< buffer.width {
                let cell = buffer[x, y]
                if !full, let previous, previous[x, y] == cell { continue }
                draw(cell, x: x, y: y)
            }
        }
        wnoutrefresh(stdscr)
        doupdate()
        previous = buffer
    }

    private func draw(_ cell: Cell, x: Int, y: Int) {
        var attributes: attr_t = 0
        if cell.style.bold { attributes |= attr_t(A_BOLD_VALUE) }
        if cell.style.reverse { attributes |= attr_t(A_REVERSE_VALUE) }
        if cell.style.dim { attributes |= attr_t(A_DIM_VALUE) }
        var pair: Int32 = 0
        if colourCount > 0 {
            pair = colourPair(cell.style.foreground, cell.style.background)
        }
        var characters: [wchar_t] = [wchar_t(bitPattern: cell.character.unicodeScalars.first?.value ?? 32), 0]
        var complex = cchar_t()
        var extendedPair = pair
        setcchar(&complex, &characters, attributes, 0, &extendedPair)
        mvwadd_wch(stdscr, Int32(y), Int32(x), &complex)
    }

    /// A colour pair for (foreground, background), allocated on first use; -1 is the default colour.
    private func colourPair(_ foreground: UInt8?, _ background: UInt8?) -> Int32 {
        func clamp(_ colour: UInt8?) -> Int32 {
            guard let colour else { return -1 }
            return Int(colour) < colourCount ? Int32(colour) : Int32(colour) % 8
        }
        let key = ColourPair(foreground: clamp(foreground), background: clamp(background))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        guard nextPair < maxPairs else { return 0 }
        init_extended_pair(nextPair, key.foreground, key.background)
        pairs[key] = nextPair
        nextPair += 1
        return nextPair - 1
    }
}

/// Why the terminal cannot host the explorer, in one line for the user.
public struct TerminalUnusable: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}

// ncurses' attribute macros are not imported into Swift; these are their values (NCURSES_BITS).
private let A_REVERSE_VALUE: UInt32 = 1 << (8 + 10)
private let A_BOLD_VALUE: UInt32 = 1 << (8 + 13)
private let A_DIM_VALUE: UInt32 = 1 << (8 + 12)
