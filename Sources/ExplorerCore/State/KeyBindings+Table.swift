/// The explorer's keys, once. Dispatch (`ExplorerState.apply`, `ExplorerController.handle`), the key
/// line under the screen, the help (`?`, F1) and docs/explorer.md's table (`KeyBindingsTests` checks
/// it) all read this list. Its order is the key line's: the most used first.
///
/// Keys typed into something open are not bindings: a prompt's answer, the `/` line, the word line,
/// the letter after `g` or `'`, any key closing the help.
public enum KeyBindings {
    /// The width of the help's key column.
    static let helpKeyWidth = 21
    /// The width of its text: inside the help's frame and margins (4 columns), a line is indented 2,
    /// then the key column and a space (`HelpOverlay`).
    static let helpTextWidth = HelpOverlay.maximumWidth - 4 - 2 - helpKeyWidth - 1

    private static func chars(_ text: String) -> [Key] { text.map { Key.character($0) } }

    public static let all: [KeyBinding] = plane + browsing + drawing + everywhere

    private static let plane: [KeyBinding] = [
        KeyBinding(.plane, doc: "arrows, `h` `j` `k` `l`; with shift, `H` `J` `K` `L`",
                   "move the cursor one tile (with shift, three): the frame steps to the next letter",
                   help: "arrows or h j k l", "move the cursor one tile; shift, H J K L: 3", keyLine: ["←↑↓→ move"], [
            KeyTrigger([.left, .character("h")], .plane, .move(dx: -1, dy: 0, big: false)),
            KeyTrigger([.right, .character("l")], .plane, .move(dx: 1, dy: 0, big: false)),
            KeyTrigger([.up, .character("k")], .plane, .move(dx: 0, dy: 1, big: false)),
            KeyTrigger([.down, .character("j")], .plane, .move(dx: 0, dy: -1, big: false)),
            KeyTrigger([.bigLeft, .character("H")], .plane, .move(dx: -1, dy: 0, big: true)),
            KeyTrigger([.bigRight, .character("L")], .plane, .move(dx: 1, dy: 0, big: true)),
            KeyTrigger([.bigUp, .character("K")], .plane, .move(dx: 0, dy: 1, big: true)),
            KeyTrigger([.bigDown, .character("J")], .plane, .move(dx: 0, dy: -1, big: true)),
        ]),
        KeyBinding(.plane, doc: "`+` / `-`, mouse wheel", "zoom in and out about the cursor; the wheel zooms about the pointer",
                   help: "+ / -, mouse wheel", "zoom about the cursor / about the pointer", keyLine: ["+/- zoom"], [
            KeyTrigger(chars("+="), .plane, .zoom(in: true)),
            KeyTrigger(chars("-_"), .plane, .zoom(in: false)),
        ]),
        KeyBinding(.plane, doc: "`b` or Tab", "browse the test letters: a key picks a class, the arrows step through it",
                   help: "b or Tab", "browse the test letters class by class", keyLine: ["b browse"], [
            KeyTrigger(chars("b"), .plane, .browse),
            KeyTrigger([.tab], .plane, .browse, when: .notComparing),
        ]),
        KeyBinding(.plane, doc: "`t`", "train the loaded model on a background thread; press again to pause or resume",
                   help: "t", "train in the background; again: pause, resume", keyLine: ["t train"],
                   [KeyTrigger(chars("t"), .plane, .train)]),
        KeyBinding(.plane, doc: "`s`", "save the weights to a new file named after the model and the time (or `--save-to`)",
                   help: "s", "save to a new file (or --save-to)", keyLine: ["s save"], [KeyTrigger(chars("s"), .plane, .save)]),
        KeyBinding(.plane, doc: "`d`", "draw mode: draw a letter on a 28x28 canvas and see where it lands, what it looks like and how the model redraws it",
                   help: "d", "draw a letter: where does it land?", keyLine: ["d draw"], [KeyTrigger(chars("d"), .plane, .draw)]),
        KeyBinding(.plane, doc: "`<` / `>`, wheel with Ctrl (or Shift, Alt)",
                   "smaller / larger letters on the plane: tiles from 7x4 to 28x14 cells",
                   help: "< / >, wheel+Ctrl", "smaller / larger letters (tiles up to 28x14)", keyLine: ["< > tiles"], [
            KeyTrigger(chars("<"), nil, .tileSize(step: -1)),
            KeyTrigger(chars(">"), nil, .tileSize(step: 1)),
        ]),
        KeyBinding(.plane, doc: "`x` / `y`", "the next latent dimension across / up (`x z3`, `y z2` in the plane's title)",
                   help: "x / y", "next latent dimension across / up", keyLine: ["x y axes"], [
            KeyTrigger(chars("x"), .plane, .nextAxis(horizontal: true)),
            KeyTrigger(chars("y"), .plane, .nextAxis(horizontal: false)),
        ]),
        KeyBinding(.plane, doc: "`p`", "the PCA plane of the test codes; `p` again returns to the slice",
                   help: "p", "PCA plane of the test codes (p again: back)", keyLine: ["p PCA"],
                   [KeyTrigger(chars("p"), .plane, .principalPlane)]),
        KeyBinding(.plane, doc: "`o`", "the test letters' codes as a scatter, coloured by class, with a legend",
                   help: "o", "scatter of the test codes, with a legend", keyLine: ["o scatter"],
                   [KeyTrigger(chars("o"), .plane, .scatter)]),
        KeyBinding(.plane, doc: "`m`, then `i`", "mark point A at the cursor; show the strip of letters from A to the cursor",
                   help: "m, then i", "mark A at the cursor; strip from A to cursor", keyLine: ["m i strip"], [
            KeyTrigger(chars("m"), .plane, .markCursor),
            KeyTrigger(chars("i"), .plane, .interpolation),
        ]),
        KeyBinding(.plane, doc: "`v`", "traversal: one row per latent dimension, each swept from -3 to 3; `[` `]` scroll",
                   help: "v", "traversal: each dimension swept -3…3  [ ] scroll", keyLine: ["v traverse"], [
            KeyTrigger(chars("v"), .plane, .traversal),
            KeyTrigger(chars("["), .plane, .scrollTraversal(by: -1), when: .traversal),
            KeyTrigger(chars("]"), .plane, .scrollTraversal(by: 1), when: .traversal),
        ]),
        KeyBinding(.plane, doc: "`0`", "reset: the other dimensions back to 0, the cursor to the origin, the default zoom",
                   help: "0", "reset: others at 0, cursor at the origin", keyLine: ["0 reset"], [KeyTrigger(chars("0"), .plane, .reset)]),
        KeyBinding(.plane, doc: "mouse click",
                   "put the cursor on the tile clicked (on the scatter, where the click is; a click on a legend entry browses that class)",
                   help: "click", "put the cursor on the tile clicked", []),
        KeyBinding(.plane, doc: "`/`", "jump: type a test letter's number (`#2490`, as the side pane shows it) or a class (`e`), Enter browses it",
                   help: "/", "jump to a test letter's # or a class", [KeyTrigger(chars("/"), nil, .jump)]),
        KeyBinding(.plane, doc: "`C`", "how it draws, cycled: 256 colours (grey pixels), colour (shaded letters), plain (no colour)",
                   help: "C", "colours: 256 colours, colour, plain (cycles)", [KeyTrigger(chars("C"), .plane, .cycleColours)]),
        KeyBinding(.plane, doc: "`g`, then a letter",
                   "put the cursor on that class's centre, the mean code of its test letters (in a slice, the other dimensions are held there); the side pane lists how far the cursor is from each class's centre, nearest first (`centres: e 0.00 c 0.41 ...`)",
                   help: "g, then a letter", "go to that class's centre (its mean test code)", [KeyTrigger(chars("g"), .plane, .classCentre)]),
        KeyBinding(.plane, doc: "`{` / `}`", "halve / double β, the KL weight training uses",
                   help: "{ / }", "halve / double β, the KL weight of training", [
            KeyTrigger(chars("{"), nil, .scaleKLWeight(by: 0.5)),
            KeyTrigger(chars("}"), nil, .scaleKLWeight(by: 2)),
        ]),
        KeyBinding(.plane, doc: "`'` then a letter, `n` / `N`",
                   "a conditional VAE: the letter every tile of the style plane draws (`H` is `h` where the cases are merged); `n` / `N` the next / previous letter",
                   help: "' then a letter, n N", "(conditional VAE) the letter the plane draws",
                   keyLine: ["' letter", "n N next"], stylePlane: true, [
            KeyTrigger(chars("'"), .plane, .pickStyleLetter),
            KeyTrigger(chars("n"), .plane, .stepStyleLetter(by: 1)),
            KeyTrigger(chars("N"), .plane, .stepStyleLetter(by: -1)),
        ]),
        KeyBinding(.plane, doc: "`w`",
                   "a conditional VAE: the word line. Type any text; it is written in the style at the cursor and redrawn as the cursor moves (arrows move it while typing; Backspace erases; Enter keeps the word shown and gives the keys back; Esc closes it)",
                   help: "w", "(conditional VAE) a word in the cursor's style", keyLine: ["w word"], stylePlane: true,
                   [KeyTrigger(chars("w"), .plane, .wordLine), KeyTrigger(chars("w"), .draw, .wordLine)]),
    ]

    private static let browsing: [KeyBinding] = [
        KeyBinding(.browse, doc: "a letter or digit key, `[` / `]` (browsing)", "browse that class's test letters; the previous / next class",
                   help: "a key (letter, digit)", "choose that class;  [ ]  previous / next", keyLine: ["a key: class", "[ ] class"], [
            KeyTrigger(chars("["), .browse, .browseClassStep(by: -1)),
            KeyTrigger(chars("]"), .browse, .browseClassStep(by: 1)),
            KeyTrigger([], .browse, .chooseClass),
        ]),
        KeyBinding(.browse, doc: "arrows (browsing)", "the next / previous test letter of the class; with shift, ten at a time",
                   help: "arrows", "previous / next test letter of the class", keyLine: ["←/→ step"], [
            KeyTrigger([.right, .down], .browse, .browseStep(by: 1)),
            KeyTrigger([.left, .up], .browse, .browseStep(by: -1)),
            KeyTrigger([.bigRight, .bigDown], .browse, .browseStep(by: ExplorerState.browseBigStep)),
            KeyTrigger([.bigLeft, .bigUp], .browse, .browseStep(by: -ExplorerState.browseBigStep)),
        ]),
        KeyBinding(.browse, doc: "Tab or Esc (browsing)", "back to the plane",
                   help: "Tab or Esc", "back to the plane", keyLine: ["Tab/Esc: plane"],
                   [KeyTrigger([.tab], .browse, .plane, when: .notComparing), KeyTrigger([.escape], .browse, .plane)]),
        KeyBinding(.browse, doc: "Enter (browsing)", "hold the other dimensions at the browsed letter's code and put the cursor on it",
                   help: "Enter", "hold the other dimensions at this letter", keyLine: ["Enter: anchor"],
                   [KeyTrigger([.enter], .browse, .anchorAtBrowsedLetter)]),
        KeyBinding(.browse, doc: "`M` `I` `V` (browsing)", "mark the browsed letter as A; strip from A to it; traverse it",
                   help: "M  I  V", "mark it as A;  strip;  traverse it", keyLine: ["M mark A", "I strip", "V traverse"], [
            KeyTrigger(chars("M"), .browse, .markBrowsedLetter),
            KeyTrigger(chars("I"), .browse, .interpolation),
            KeyTrigger(chars("V"), .browse, .traversal),
        ]),
        KeyBinding(.browse, doc: "`T` `S` `O` `X` `Y` `P` (browsing)", "train, save, scatter, axes and the PCA plane, as `t` `s` `o` `x` `y` `p` on the plane",
                   help: "T S O X Y P", "as t s o x y p on the plane", keyLine: ["T train", "S save"], [
            KeyTrigger(chars("T"), .browse, .train),
            KeyTrigger(chars("S"), .browse, .save),
            KeyTrigger(chars("O"), .browse, .scatter),
            KeyTrigger(chars("X"), .browse, .nextAxis(horizontal: true)),
            KeyTrigger(chars("Y"), .browse, .nextAxis(horizontal: false)),
            KeyTrigger(chars("P"), .browse, .principalPlane),
        ]),
    ]

    private static let drawing: [KeyBinding] = [
        KeyBinding(.draw, doc: "mouse press, drag, release (drawing)", "draw a stroke on the canvas with a soft round brush",
                   help: "mouse: press, drag", "draw a stroke on the canvas", keyLine: ["mouse: draw"], []),
        KeyBinding(.draw, doc: "arrows, space (drawing)", "move the pen one pixel; space lowers it (it draws as it moves) or lifts it",
                   help: "arrows, space", "move the pen; space lowers / lifts it", keyLine: ["←↑↓→ pen", "space pen down/up"], [
            KeyTrigger([.left, .bigLeft], .draw, .movePen(dx: -1, dy: 0)),
            KeyTrigger([.right, .bigRight], .draw, .movePen(dx: 1, dy: 0)),
            KeyTrigger([.up, .bigUp], .draw, .movePen(dx: 0, dy: 1)),
            KeyTrigger([.down, .bigDown], .draw, .movePen(dx: 0, dy: -1)),
            KeyTrigger(chars(" "), .draw, .togglePen),
        ]),
        KeyBinding(.draw, doc: "`u` / `c` (drawing)", "undo the last stroke / clear the canvas",
                   help: "u / c", "undo a stroke / clear the canvas", keyLine: ["u undo", "c clear"], [
            KeyTrigger(chars("u"), .draw, .undoStroke),
            KeyTrigger(chars("c"), .draw, .clearDrawing),
        ]),
        KeyBinding(.draw, doc: "Enter (drawing)", "put the cursor on the drawing's code (a conditional VAE: its style code, so `w` writes in the drawing's style)",
                   help: "Enter", "put the cursor on the drawing's code", keyLine: ["Enter: go there"],
                   [KeyTrigger([.enter], .draw, .goToDrawing)]),
        KeyBinding(.draw, doc: "`S` (drawing)", "save the prepared drawing as a 28x28 PNG (`drawing-<time>.png`, which `encode` reads back as it is)",
                   help: "S", "save the prepared drawing as a PNG", keyLine: ["S save PNG"], [KeyTrigger(chars("S"), .draw, .saveDrawing)]),
        KeyBinding(.draw, doc: "Esc or `d` (drawing)", "back to the plane; the drawing stays, marked ✎ on the plane, and `d` returns to it",
                   help: "Esc or d", "back to the plane (the drawing stays)", keyLine: ["Esc: plane"],
                   [KeyTrigger([.escape], .draw, .plane), KeyTrigger(chars("d"), .draw, .plane)]),
    ]

    private static let everywhere: [KeyBinding] = [
        KeyBinding(.plane, doc: "Tab (with `--compare`)", "the next model takes the focus (▶): browse, `t` and `s` act on it",
                   help: "Tab (with --compare)", "focus the next model: browse, t, s act on it",
                   [KeyTrigger([.tab], nil, .focusNextModel, when: .comparing)]),
        KeyBinding(.plane, doc: "`?`, F1", "the keys; any key closes them (a key that does nothing on the plane says so and names `?`)",
                   help: "? or F1", "these keys; any key closes them", keyLine: ["? help"], pinned: true,
                   [KeyTrigger([.character("?"), .function(1)], nil, .help)]),
        KeyBinding(.plane, doc: "Esc", "step back: close the word line, the traversal, the strip, browsing or the help. It never quits",
                   help: "Esc", "step back (word line, traversal, strip, browse)", [KeyTrigger([.escape], .plane, .stepBack)]),
        KeyBinding(.plane, doc: "`q`", "quit; with trained weights not saved yet, it asks first",
                   help: "q", "quit (asks first when training is unsaved)", keyLine: ["q quit"], pinned: true,
                   [KeyTrigger(chars("q"), .plane, .quit), KeyTrigger(chars("q"), .draw, .quit)]),
    ]
}
