/// The explorer without a terminal: applies inputs to the state, resolves what needs the model (the
/// browsed letter's code, the principal plane of new codes), and keeps the status-line message.
/// The terminal program feeds it inputs and paints its frames; tests and the fuzzer drive it directly.
public final class ExplorerController {
    public private(set) var state: ExplorerState
    /// The focused model's view (the only one without `--compare`).
    public private(set) var view: ModelView
    /// The models compared side by side, when there are several (Tab moves the focus among them).
    public let compared: ComparedModels?
    /// The status line: the last notice, cleared by the next key (an open prompt stays).
    public private(set) var message: String
    /// Whether the weights shown came from training in this session and were not saved since: quitting
    /// then asks first.
    public var hasUnsavedTraining = false
    /// The terminal's size, from the last resize: the layout is worked out from it when a key, a click
    /// or a frame needs it.
    public private(set) var screen = ScreenSize.unknown

    public init(view: ModelView, catalog: ClassCatalog, message: String = "", compared: ComparedModels? = nil) {
        let compared = (compared?.entries.count ?? 0) > 1 ? compared : nil
        self.view = compared?.focused.view ?? view
        self.compared = compared
        self.message = message
        // The style plane's letter belongs to the state when any shown model is conditional (comparing a
        // plain VAE with a CVAE, ' and n pick the CVAE pane's letter whichever pane has the focus).
        let conditional = ([self.view] + (compared?.entries.map(\.view) ?? [])).first { $0.isConditional }
        state = ExplorerState(catalog: catalog, latentDim: self.view.latentDim, styleClasses: conditional?.classNames)
        state.setPrincipalPlane(self.view.principalPlane)
        if let compared { state = compared.initialState(state) }
    }

    /// Tab while comparing: the next model takes the focus, keeping the cursor, zoom and browsing.
    private func moveFocus(_ compared: ComparedModels) {
        state = compared.moveFocus(from: state)
        view = compared.focused.view
        message = compared.focused.warning.map { "Focus on \(compared.focused.name): \($0)" }
            ?? "Focus on \(compared.focused.name): browse, t and s act on it"
    }

    /// What the session must do after an input: the part of an `ExplorerAction` the controller cannot
    /// do itself (`.none`, `.quit`, `.toggleTraining`, `.save`, `.scaleKLWeight`, `.cycleColours`).
    public typealias Request = ExplorerAction

    public func handle(_ input: Input) -> Request {
        switch input {
        case .resize(let width, let height):
            let resized = ScreenSize(width: width, height: height)
            // A smaller pane shows less of the plane: keep the cursor, and so its framed tile, on it.
            // Only when the size changes: the size is reported again with every frame, and a view zoomed
            // about the pointer away from the cursor stays where it was put.
            if resized != screen { state.keepCursorInView(on: resized) }
            screen = resized
            return .none
        case .key(let key) where jump != nil:
            return editJump(key)
        case .key(let key) where !state.takesTypedKeys:
            // The key table's commands that need more than the state: the `/` line, the colour mode, the focus.
            let context = KeyContext(mode: state.mode, comparing: compared != nil, traversal: state.showsTraversal)
            switch KeyBindings.command(for: key, in: context) {
            case .jump where !state.catalog.entries.isEmpty:
                jump = JumpLine()
                message = jump!.prompt
                return .none
            case .cycleColours: return .cycleColours
            case .focusNextModel:
                if let compared { moveFocus(compared) }
                return .none
            default: return apply(key)
            }
        case .key(let key):
            return apply(key)
        case .mouse(let event) where state.applyDrawingMouse(event, on: screen):
            return .none
        case .mouse(let event) where compared != nil && !state.showsHelp && state.prompt == nil:
            if let moved = compared!.apply(event, to: state, on: screen) { state = moved }
            return .none
        case .mouse(let event):
            return resolve(state.apply(event, on: screen))
        }
    }

    /// A key for the state: the status line clears (unless a question is open) and the action is resolved.
    private func apply(_ key: Key) -> Request {
        if state.prompt == nil { message = "" }
        let action = state.apply(key, on: screen)
        if let prompt = state.prompt { message = prompt.question }
        return resolve(action)
    }

    /// What the state's action asks: the session's part as a request, the model's part (codes of the
    /// browsed letter, a class's centre) done here.
    private func resolve(_ action: ExplorerAction) -> Request {
        switch action {
        case .none: break
        case .quit:
            if hasUnsavedTraining {
                ask(.unsavedTraining(interrupted: false))
                return .none
            }
            return .quit
        case .quitDiscarding: return .quit
        case .toggleTraining, .save, .scaleKLWeight, .cycleColours, .saveDrawing: return action
        case .goToDrawing:
            if let reading = view.read(state.drawing) {
                state.anchor(at: reading.code, name: "your drawing")
                state.mode = .draw
                // A style plane then draws the letter the model read, in the drawing's style.
                if let own = reading.reading.modelClass { state.selectLetter(Int(own)) }
                state.keepCursorInView(on: screen)
                message = "The cursor is at your drawing's code" + (view.isConditional ? ": w writes a word in its style" : "")
                    + (state.latentDim > 2 && !state.showsPrincipalPlane ? ", the other dimensions held there; 0 resets" : "")
            } else {
                message = "Too faint to read: draw a stronger stroke"
            }
        case .notice(let text): message = text
        case .anchorAtBrowsedLetter:
            if let index = state.selectedTestIndex, let entry = state.selectedClass {
                let name = "\(state.catalog.singleItemNoun) '\(entry.name)' #\(view.testSourceIndices[index])"
                state.anchor(at: view.testCode(index), name: name)
                // A style plane then draws the browsed letter's class, in its own style under the cursor.
                if let letter = view.testClass(index) { state.selectLetter(Int(letter)) }
                state.keepCursorInView(on: screen)
                if state.showsPrincipalPlane {
                    message = "The PCA plane passes through \(name); 0 resets it"
                } else if state.latentDim > 2 {
                    message = "The other \(state.latentDim - 2) dimensions are held at \(name); 0 resets them"
                }
            }
        case .goToClassCentre(let label):
            if let centre = view.classCentres.centre(of: label), let entry = state.catalog.entryIndex(ofLabel: label) {
                let entry = state.catalog.entries[entry]
                let name = "the centre of '\(entry.name)' (\(entry.testIndices.count) test \(state.catalog.itemNoun))"
                state.anchor(at: centre, name: name)
                state.keepCursorInView(on: screen)
                message = "The cursor is at \(name)" + (state.latentDim > 2 && !state.showsPrincipalPlane ? ", the other dimensions held there; 0 resets" : "")
            }
        case .markBrowsedLetter:
            if let index = state.selectedTestIndex, let entry = state.selectedClass {
                state.markA(view.testCode(index), name: "\(state.catalog.singleItemNoun) '\(entry.name)' #\(view.testSourceIndices[index])")
                message = "Point A marked at \(state.pointAName): I shows the strip from it"
            }
        }
        return .none
    }

    /// The `/` line being typed (nil when none).
    public private(set) var jump: JumpLine?

    /// A key while the `/` line is open: edit it, or jump (browsing the letter or class found).
    private func editJump(_ key: Key) -> Request {
        guard var line = jump else { return .none }
        switch line.edit(key) {
        case .editing:
            jump = line
            message = line.prompt
        case .cancelled:
            jump = nil
            message = ""
        case .submitted(let query):
            jump = nil
            switch JumpLine.resolve(query, catalog: state.catalog, sourceIndices: view.testSourceIndices, labels: view.test.labels) {
            case .success(let target):
                state.mode = .browse
                state.selectClass(target.browseClass)
                state.browseItem = target.browseItem
                message = "Browsing \(state.selectedClass?.name ?? "")" + (state.selectedTestIndex.map { " #\(view.testSourceIndices[$0])" } ?? "")
                    + ": Enter holds the plane at it, Tab returns"
            case .failure(let error):
                message = error.message
            }
        }
        return .none
    }

    /// Asks `prompt` on the status line; the next key answers it.
    public func ask(_ prompt: Prompt) {
        state.ask(prompt)
        message = prompt.question
    }

    /// Ctrl-C: quits at once unless trained weights are unsaved; then it asks, and Ctrl-C again while
    /// the question is open quits. Returns whether to quit now.
    public func interrupted() -> Bool {
        guard hasUnsavedTraining, state.prompt != .unsavedTraining(interrupted: true) else { return true }
        ask(.unsavedTraining(interrupted: true))
        return false
    }

    /// Starts on a real test letter rather than the origin (where decoders tend to draw a blur of
    /// every class): a clear example from the tightest class cluster (`TightestClass`). The hidden
    /// dimensions are held at its code, so the cursor stands on the letter itself; `0` returns to the
    /// origin. Call after the first `resize`, so the view can be centred on a whole tile.
    ///
    /// A style plane of more than two dimensions is the exception: a conditional model's codes still
    /// carry some of their letter, so with the hidden dimensions at an 'o's code the other letters come
    /// out blurred (43.6 % of the 16-D letters model's 26 x 441 plane letters read as intended, against
    /// 95.9 % with them at 0; docs/experiments.md). There the hidden dimensions stay at 0 and the cursor
    /// goes to the letter's place on the plane.
    public func startOnTightestClass() {
        guard let (entry, index) = TightestClass.find(catalog: state.catalog, view: view) else { return }
        let name = "\(state.catalog.singleItemNoun) '\(entry.name)' #\(view.testSourceIndices[index])"
        let code = view.testCode(index)
        let keepsHiddenAtZero = state.style != nil && code.count > 2
        if keepsHiddenAtZero { state.moveCursor(to: state.plane.project(code)) } else { state.anchor(at: code, name: name) }
        state.centre = state.cursor
        // A style plane starts on that letter's class.
        if let letter = view.testClass(index) { state.selectLetter(Int(letter)) }
        // With an even number of tiles across (or down), the centre lies between two: move the view half
        // a tile so the cursor's tile is whole and framed, rather than the cursor sitting on a corner.
        if let layout = state.layout(on: screen) {
            let geometry = PlaneGeometry(area: layout.plane.interior, state: state)
            if geometry.columns % 2 == 0 { state.centre.x += geometry.cellSize / 2 }
            if geometry.rows % 2 == 0 { state.centre.y -= geometry.cellSize / 2 }
        }
        message = state.style.map { style in
            keepsHiddenAtZero
                ? "Start: '\(style.letterName)' where test \(name) lies on the plane, the other dimensions at 0 · ' picks a letter, w writes a word"
                : "Start: '\(style.letterName)' in the style of test \(name) · ' picks a letter, w writes a word · 0 goes to the origin"
        } ?? "Start: test \(name), a clear example · 0 goes to the origin"
    }

    /// After the view re-encoded its codes: the principal plane moves with them.
    public func codesRefreshed() {
        state.setPrincipalPlane(view.principalPlane)
    }

    /// A message from outside the key handling (a save, training).
    public func show(_ text: String) {
        message = text
    }

    /// Training started or stopped: the training panel shows its curves while it is not idle, and the
    /// layout (and so where a click lands) follows.
    public func trainingChanged(_ status: TrainingSession.Status) {
        state.trainingExpanded = status.phase != .idle
    }

    /// A frame of the terminal's size (the last resize's).
    public func render(_ renderer: ExplorerRenderer, training: TrainingSession.Status) -> CellBuffer {
        render(renderer, width: screen.width, height: screen.height, training: training)
    }

    /// A frame: the model's part is prepared first (decodes, caches, background work: the view's, never
    /// the state's), then drawn by `renderer` from values alone. The state is drawn with the training
    /// panel `training` asks for; `trainingChanged` keeps the state's own layout in step.
    public func render(_ renderer: ExplorerRenderer, width: Int, height: Int, training: TrainingSession.Status) -> CellBuffer {
        var shown = state
        shown.trainingExpanded = training.phase != .idle
        var tiles = FrameTiles()
        var panes: [ComparedPane]?
        if let layout = shown.layout(width: width, height: height) {
            let comparing = compared != nil && !shown.showsTraversal
            // The word line is written by a conditional model: the focused one, else the compared one.
            let writer = ([view] + (compared?.entries.map(\.view) ?? [])).first { $0.isConditional }
            tiles = FramePreparation.tiles(state: shown, view: view, layout: layout, comparing: comparing, writer: writer)
            if comparing, let compared { panes = FramePreparation.comparedPanes(compared, state: shown, rect: layout.plane) }
        }
        return renderer.render(width: width, height: height, state: shown, facts: view, tiles: tiles, training: training,
                               message: message, compared: panes)
    }
}
