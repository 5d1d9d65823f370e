import VAE

/// The models the explorer shows side by side (`explore --compare B [C]`): the opened model and one to
/// three others, each with its own view (codes, decoded grid), on the same letters. One cursor moves
/// in all panes:
///
/// - when the latent sizes match, every pane uses the same plane coordinates (the same axes, anchor
///   and zoom; on the PCA plane, each model's own principal plane at the same coordinates);
/// - otherwise each pane shows its model's own PCA plane (a 1-D model its only axis), and the cursor
///   stands at the same coordinates of each.
///
/// The focus (Tab) picks the model that browse, the side pane, train and save act on: the controller's
/// state and view are the focused model's, and the other panes' states are derived from it.
public final class ComparedModels {
    /// One compared model: its view, its name and the figures its heading shows.
    public struct Entry {
        public let view: ModelView
        /// The weight file's name, e.g. "vowels-2d".
        public let name: String
        /// What the file says of the model, e.g. "mlp z=2 β 1 · -ELBO 199.7".
        public let summary: String
        /// Why this model's figures may mean little on the data shown (a digits model on letters), in
        /// one sentence: its pane's heading says so, and the status line when it gets the focus.
        public let warning: String?

        public init(view: ModelView, name: String, summary: String, warning: String? = nil) {
            self.view = view
            self.name = name
            self.summary = summary
            self.warning = warning
        }
    }

    public let entries: [Entry]
    public private(set) var focus = 0
    /// The style plane's letter last chosen on a conditional model, kept while the focus is on a plain one.
    private var lastStyle: StylePlane?
    /// Crowding of each view's test codes, with the codes version it was measured on.
    private var crowdingCache: [Int: (codesVersion: Int, value: Double)] = [:]
    /// The crowding of a pane is measured on at most this many of its test codes (it is O(n²)).
    static let crowdingSample = 1_000

    /// At most this many models share the plane.
    public static let maximumCount = 4

    public init(entries: [Entry]) {
        precondition((1 ... Self.maximumCount).contains(entries.count), "1 to 4 models")
        self.entries = entries
    }

    public var focused: Entry { entries[focus] }

    /// Whether every model has the same latent size (then the panes share plane coordinates).
    public var sharesCoordinates: Bool { Set(entries.map(\.view.latentDim)).count == 1 }

    /// Said once when comparing models of different latent sizes.
    public var note: String? {
        guard !sharesCoordinates else { return nil }
        let sizes = entries.map { "z=\($0.view.latentDim)" }.joined(separator: ", ")
        return "Latent sizes differ (\(sizes)): each pane shows its model's own PCA plane, the cursor at the same coordinates"
    }

    /// The state of the first focus: on the PCA plane when the sizes differ.
    public func initialState(_ state: ExplorerState) -> ExplorerState {
        var s = state
        if !sharesCoordinates && s.principalPlane != nil { s.showsPrincipalPlane = true }
        return s
    }

    /// Tab: the next model takes the focus; returns its state, carried over from the old focus's.
    public func moveFocus(from state: ExplorerState) -> ExplorerState {
        let next = (focus + 1) % entries.count
        if let style = state.style { lastStyle = style }
        let carried = paneState(next, from: state)
        focus = next
        return carried
    }

    /// What pane `index` shows, given the focused model's `state`.
    public func paneState(_ index: Int, from state: ExplorerState) -> ExplorerState {
        guard index != focus else { return state }
        let view = entries[index].view
        // Every pane carries the style plane's letter (the one chosen last); a plain model's pane ignores it.
        let style = (state.style ?? lastStyle).map { StylePlane(classNames: view.isConditional ? view.classNames : $0.classNames, letter: $0.letter) }
        if sharesCoordinates {
            var s = state
            s.setPrincipalPlane(view.principalPlane)
            s.style = style
            return s
        }
        var s = ExplorerState(catalog: state.catalog, latentDim: view.latentDim)
        s.mode = state.mode
        s.cursor = state.cursor
        s.centre = state.centre
        s.halfWidth = state.halfWidth
        s.showsScatter = state.showsScatter
        s.browseClass = state.browseClass
        s.browseItem = state.browseItem
        s.drawing = state.drawing
        s.setPrincipalPlane(view.principalPlane)
        s.showsPrincipalPlane = s.principalPlane != nil
        s.style = style
        return s
    }

    /// The mouse on a pane: a click puts the one cursor at the point under the pointer (in that pane's
    /// plane coordinates, which are every pane's), the wheel zooms about it. Returns the new state, or
    /// nil when the pointer is on no pane.
    public func apply(_ event: MouseEvent, to state: ExplorerState, on screen: ScreenSize) -> ExplorerState? {
        guard !state.showsTraversal, event.kind != .drag, event.kind != .release, let layout = state.layout(on: screen) else { return nil }
        if event.kind == .modifiedWheelUp || event.kind == .modifiedWheelDown {
            var s = state
            _ = s.apply(event, on: screen)   // the tile size, the same in every pane
            return s
        }
        let rects = ComparePanes.rects(count: entries.count, in: layout.plane)
        for (index, rect) in rects.enumerated() {
            let geometry = PlaneGeometry(area: rect.interior, state: paneState(index, from: state))
            guard let point = geometry.point(column: event.column, row: event.row) else { continue }
            var s = state
            switch event.kind {
            case .press:
                if s.mode == .browse { s.mode = .plane }
                s.moveCursor(to: s.clickTarget(point, geometry))
                s.keepCursorInView(on: screen)
            case .wheelUp: s.zoom(by: 1 / ExplorerState.zoomFactor, about: point)
            case .wheelDown: s.zoom(by: ExplorerState.zoomFactor, about: point)
            case .modifiedWheelUp, .modifiedWheelDown, .drag, .release: break   // handled above
            }
            return s
        }
        return nil
    }

    /// The crowding of model `index`'s test codes (`ClassSeparation.crowding`, on a stratified sample
    /// of `crowdingSample`), measured again only when its codes change.
    public func crowding(_ index: Int) -> Double {
        let view = entries[index].view
        if let cached = crowdingCache[index], cached.codesVersion == view.codesVersion { return cached.value }
        let value = ClassSeparation.crowding(codes: view.testCodes, labels: view.test.labels, dimension: view.latentDim,
                                             sampleLimit: Self.crowdingSample)
        crowdingCache[index] = (view.codesVersion, value)
        return value
    }

    /// A pane's heading: the focus marker, the letter of the pane, the name (and, for a conditional
    /// model, the letter its style plane draws: `drawing`) and figures.
    public func heading(_ index: Int, drawing: String? = nil) -> String {
        let marker = index == focus ? "▶" : " "
        let letter = String(UnicodeScalar(UInt8(65 + index)))
        let drawn = entries[index].view.isConditional ? drawing.map { " style of '\($0)'" } ?? "" : ""
        // The warning, short ("A digits model on letters …" as "⚠ digits model"), right after the name.
        let warning = entries[index].warning.map { sentence -> String in
            let clause = sentence.components(separatedBy: " on ").first ?? sentence
            return " · ⚠ " + (clause.hasPrefix("A ") ? String(clause.dropFirst(2)) : clause)
        } ?? ""
        return "\(marker)\(letter) \(entries[index].name)\(drawn)\(warning) · crowding \(String(format: "%.2f", crowding(index))) · \(entries[index].summary)"
    }
}

extension ComparedModels {
    /// "mlp z=2 β 1 · -ELBO 221.9" (the file's test score): what a compared pane's heading says of its
    /// model. A conditional model's negative ELBO bounds -log p(x | y), not -log p(x): it is written
    /// `-ELBO(x|y)` so that it is not read as comparable with a plain model's beside it.
    public static func summary(_ model: VAEModel, _ metadata: ModelMetadata) -> String {
        let kind = "\(model.configuration.kind) z=\(model.latentDim) β \(VAEObjective.format(metadata.objective.klWeight))"
        let score = model.isConditional ? " · -ELBO(x|y) %.1f" : " · -ELBO %.1f"
        return metadata.testLoss.map { kind + String(format: score, $0.total) } ?? kind
    }
}
