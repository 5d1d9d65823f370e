/// The explorer without a terminal: applies inputs to the state, resolves what needs the model (the
/// browsed letter's code, the principal plane of new codes), and keeps the status-line message.
/// The terminal program feeds it inputs and paints its frames; tests and the fuzzer drive it directly.
public final class ExplorerController {
    public private(set) var state: ExplorerState
    /// The focused model's view (the only one without `--compare`).
    public private(set) var view: ModelView
    /// The models compared side by side, when there are several (Tab moves the focus among them).
    public let compared: ComparedModels?
    /// The status line: the last notice, cleared by the next key.
    public private(set) var message: String

    public init(view: ModelView, catalog: ClassCatalog, message: String = "", compared: ComparedModels? = nil) {
        let compared = (compared?.entries.count ?? 0) > 1 ? compared : nil
        self.view = compared?.focused.view ?? view
        self.compared = compared
        self.message = message
        state = ExplorerState(catalog: catalog, latentDim: self.view.latentDim)
        state.setPrincipalPlane(self.view.principalPlane)
        if let compared { state = compared.initialState(state) }
    }

    /// Tab while comparing: the next model takes the focus, keeping the cursor, zoom and browsing.
    private func moveFocus(_ compared: ComparedModels) {
        state = compared.moveFocus(from: state)
        view = compared.focused.view
        message = "Focus on \(compared.focused.name): browse, t and s act on it"
    }

    /// What the program around the explorer must do after an input.
    public enum Request: Equatable, Sendable {
        case none, quit, toggleTraining, save
        /// Multiply training's KL weight β by this factor.
        case scaleKLWeight(Double)
    }

    public func handle(_ input: Input) -> Request {
        let action: ExplorerAction
        switch input {
        case .resize(let width, let height):
            state.resize(width: width, height: height)
            return .none
        case .key(.tab) where compared != nil && !state.showsHelp:
            moveFocus(compared!)
            return .none
        case .key(let key):
            message = ""
            action = state.apply(key)
        case .mouse(let event) where compared != nil && !state.showsHelp:
            if let moved = compared!.apply(event, to: state) { state = moved }
            return .none
        case .mouse(let event):
            action = state.apply(event)
        }
        switch action {
        case .none: break
        case .quit: return .quit
        case .toggleTraining: return .toggleTraining
        case .save: return .save
        case .scaleKLWeight(let factor): return .scaleKLWeight(factor)
        case .notice(let text): message = text
        case .anchorAtBrowsedLetter:
            if let index = state.selectedTestIndex, let entry = state.selectedClass {
                let name = "\(state.catalog.singleItemNoun) '\(entry.name)' #\(view.testSourceIndices[index])"
                state.anchor(at: view.testCode(index), name: name)
                if state.showsPrincipalPlane {
                    message = "The PCA plane passes through \(name); 0 resets it"
                } else if state.latentDim > 2 {
                    message = "The other \(state.latentDim - 2) dimensions are held at \(name); 0 resets them"
                }
            }
        case .markBrowsedLetter:
            if let index = state.selectedTestIndex, let entry = state.selectedClass {
                state.markA(view.testCode(index), name: "\(state.catalog.singleItemNoun) '\(entry.name)' #\(view.testSourceIndices[index])")
                message = "Point A marked at \(state.pointAName): I shows the strip from it"
            }
        }
        return .none
    }

    /// After the view re-encoded its codes: the principal plane moves with them.
    public func codesRefreshed() {
        state.setPrincipalPlane(view.principalPlane)
    }

    /// A message from outside the key handling (a save, training).
    public func show(_ text: String) {
        message = text
    }

    public func render(_ renderer: ExplorerRenderer, width: Int, height: Int, training: TrainingSession.Status) -> CellBuffer {
        renderer.render(width: width, height: height, state: state, view: view, training: training, message: message,
                        compared: compared)
    }
}
