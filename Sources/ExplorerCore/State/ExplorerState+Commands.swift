/// The commands of the key table (`KeyBindings`), performed on the state.
extension ExplorerState {
    /// Performs `command`, which `key` triggered, on a terminal of `screen`'s size; returns what the
    /// surrounding program must do.
    mutating func perform(_ command: KeyCommand, key: Key, on screen: ScreenSize) -> ExplorerAction {
        switch command {
        case .move(let dx, let dy, let big): moveCursor(dx: dx, dy: dy, big: big, on: screen)
        case .zoom(let zoomIn): zoom(by: zoomIn ? 1 / Self.zoomFactor : Self.zoomFactor, about: cursor.pair)
        case .tileSize(let offset): return stepTileSize(by: offset, on: screen)
        case .nextAxis(let horizontal): return cycleAxis(horizontal: horizontal)
        case .principalPlane: return togglePrincipalPlane()
        case .reset: resetAnchorAndView()
        case .scatter: showsScatter.toggle()
        case .markCursor: return markCursor()
        case .interpolation: return toggleInterpolation()
        case .classCentre:
            awaitsClassCentre = true
            return .notice("g: type a \(catalog.singleItemNoun == "letter" ? "letter" : "class key") to go to its class's centre (Esc: stay)")
        case .traversal:
            showsTraversal.toggle()
            traversalScroll = 0
        case .scrollTraversal(let offset): traversalScroll = min(max(0, traversalScroll + offset), latentDim - 1)
        case .jump, .cycleColours, .focusNextModel: return .notice(Self.unknownKeyNotice(key))   // the controller's
        case .browse: mode = .browse
        case .plane: mode = .plane
        case .anchorAtBrowsedLetter: return selectedTestIndex == nil ? .none : .anchorAtBrowsedLetter
        case .markBrowsedLetter: return selectedTestIndex == nil ? .none : .markBrowsedLetter
        case .browseStep, .browseClassStep, .chooseClass: return performBrowse(command, key: key)
        case .train: return .toggleTraining
        case .save: return .save(replacing: false, thenQuit: false)
        case .scaleKLWeight(let factor): return .scaleKLWeight(factor)
        case .pickStyleLetter, .stepStyleLetter, .wordLine: return performStyleCommand(command)
        case .draw, .movePen, .togglePen, .clearDrawing, .undoStroke, .goToDrawing, .saveDrawing:
            return performDrawing(command)
        case .help: showsHelp = true
        case .stepBack: return stepBack()
        case .quit: return .quit
        }
        return .none
    }
}
