/// Moving about the plane: the cursor, zoom, which plane is shown, the anchor and point A.
extension ExplorerState {
    /// The plane shown now: the principal-component plane when chosen and known, else the slice. The
    /// PCA plane goes through the codes' mean, or, once a letter is anchored, through that letter's
    /// code (parallel, with the same coordinates), so that the cursor can stand on the letter itself.
    public var plane: LatentPlane {
        if showsPrincipalPlane, let principalPlane {
            return isAnchored ? principalPlane.passing(through: anchor) : principalPlane
        }
        return LatentPlane.axes(x: xDimension, y: yDimension, anchor: anchor)
    }

    /// Whether the hidden dimensions are held at a letter's code rather than at 0.
    public var isAnchored: Bool { anchor.contains { $0 != 0 } }

    /// The full latent code at the cursor.
    public var cursorPoint: [Float] { plane.point(cursor.pair) }

    /// Arrows move the cursor one tile of the grid on `screen` (shift: `bigStepFactor` tiles) in the
    /// direction (dx, dy), so the frame steps from letter to letter and the letter framed is always the
    /// one decoded at the cursor; without a known screen, `step`.
    mutating func moveCursor(dx: Int, dy: Int, big: Bool, on screen: ScreenSize) {
        let small = tileStep(on: screen) ?? step
        let distance = big ? small * Self.bigStepFactor : small
        moveCursor(to: (cursor.x + Float(dx) * distance, cursor.y + Float(dy) * distance))
    }

    /// Puts the cursor at `point` (within the limits). In a 1-D space the plane has no vertical
    /// direction, so the cursor stays on y = 0. Key and mouse handling then pan the view to it
    /// (`keepCursorInView(on:)`), which needs the screen's layout.
    public mutating func moveCursor(to point: (x: Float, y: Float)) {
        let limit = Self.cursorLimit
        func clamp(_ v: Float) -> Float { v.isFinite ? min(max(v, -limit), limit) : 0 }
        cursor = PlanePoint(clamp(point.x), yDimension == nil && !showsPrincipalPlane ? 0 : clamp(point.y))
    }

    /// One tile of the plane on `screen`, in plane units (nil when there is no plane to measure).
    public func tileStep(on screen: ScreenSize) -> Float? {
        guard let layout = layout(on: screen) else { return nil }
        return PlaneGeometry(area: layout.plane.interior, state: self).cellSize
    }

    /// Pans the window so that the cursor is visible on `screen`.
    public mutating func keepCursorInView(on screen: ScreenSize) {
        let (hx, hy) = visibleHalfExtents(on: screen)
        if cursor.x < centre.x - hx { centre.x = cursor.x + hx * 0.8 }
        if cursor.x > centre.x + hx { centre.x = cursor.x - hx * 0.8 }
        if cursor.y < centre.y - hy { centre.y = cursor.y + hy * 0.8 }
        if cursor.y > centre.y + hy { centre.y = cursor.y - hy * 0.8 }
    }

    /// Half the width and height of the plane the pane shows: at least `halfWidth` each way, more
    /// along the pane's longer side. Without a known screen, the square `centre ± halfWidth`.
    func visibleHalfExtents(on screen: ScreenSize) -> (x: Float, y: Float) {
        guard let layout = layout(on: screen) else { return (halfWidth, halfWidth) }
        let geometry = PlaneGeometry(area: layout.plane.interior, state: self)
        return ((geometry.right - geometry.left) / 2, (geometry.top - geometry.bottom) / 2)
    }

    /// Zooms keeping `fixed` (a plane point: the cursor, or the mouse pointer) at its place on screen.
    mutating func zoom(by factor: Float, about fixed: (x: Float, y: Float)) {
        let newHalfWidth = min(max(halfWidth * factor, Self.halfWidthRange.lowerBound), Self.halfWidthRange.upperBound)
        let ratio = newHalfWidth / halfWidth
        centre = PlanePoint(fixed.x + (centre.x - fixed.x) * ratio, fixed.y + (centre.y - fixed.y) * ratio)
        halfWidth = newHalfWidth
    }

    /// `0`: the anchor back at the origin, the cursor at the plane's origin, the default zoom.
    mutating func resetAnchorAndView() {
        anchor = [Float](repeating: 0, count: latentDim)
        anchorName = "origin"
        cursor = .origin
        centre = .origin
        halfWidth = Self.defaultHalfWidth
    }

    /// Changes the plane keeping the cursor on the same latent point where the new plane holds it
    /// (else on its projection), and keeps the cursor in view.
    private mutating func changePlane(_ change: (inout ExplorerState) -> Void) {
        let point = cursorPoint
        change(&self)
        let projected = plane.project(point)
        moveCursor(to: projected)
        centre = cursor
    }

    /// `x` / `y`: the next latent dimension on that axis (skipping the one the other axis shows). From
    /// the principal plane, the first press returns to the slice.
    mutating func cycleAxis(horizontal: Bool) -> ExplorerAction {
        if showsPrincipalPlane {
            changePlane { $0.showsPrincipalPlane = false }
            return .notice("Slice: x shows \(plane.xLabel), y shows \(plane.yLabel)")
        }
        guard let yDimension else { return .notice("This 1-D model has a single dimension, z1, shown across") }
        guard latentDim > 2 else { return .notice("This 2-D model's two dimensions are both shown; p shows its PCA plane") }
        let other = horizontal ? yDimension : xDimension
        var next = ((horizontal ? xDimension : yDimension) + 1) % latentDim
        if next == other { next = (next + 1) % latentDim }
        changePlane { state in
            if horizontal { state.xDimension = next } else { state.yDimension = next }
        }
        return .none
    }

    /// `p`: between the slice and the plane of the first two principal components of the test codes.
    mutating func togglePrincipalPlane() -> ExplorerAction {
        if showsPrincipalPlane {
            changePlane { $0.showsPrincipalPlane = false }
            return .none
        }
        guard latentDim >= 2 else { return .notice("A PCA plane needs two or more latent dimensions; this model has one") }
        guard principalPlane != nil else { return .notice("No test codes to find principal components of") }
        changePlane { $0.showsPrincipalPlane = true }
        return .none
    }

    /// The principal-component plane of the newest codes (nil when there is none). The cursor keeps its
    /// plane coordinates: the plane moves a little when training changes the codes.
    public mutating func setPrincipalPlane(_ newPlane: LatentPlane?) {
        principalPlane = newPlane.flatMap { $0.dimension == latentDim ? $0 : nil }
        if principalPlane == nil && showsPrincipalPlane { showsPrincipalPlane = false }
    }

    /// Enter while browsing: the hidden dimensions are held at `code` (the PCA plane passes through
    /// it), and the cursor goes onto it, back on the plane.
    public mutating func anchor(at code: [Float], name: String) {
        guard code.count == latentDim else { return }
        anchor = code
        anchorName = name
        mode = .plane
        moveCursor(to: plane.project(code))
    }

    /// `m`: point A is the cursor's code.
    mutating func markCursor() -> ExplorerAction {
        markA(cursorPoint, name: String(format: "cursor (%+.2f, %+.2f)", cursor.x, cursor.y))
        return .notice("Point A marked at the cursor: i shows the letters from A to the cursor")
    }

    /// Point A for the interpolation strip: a full latent code.
    public mutating func markA(_ code: [Float], name: String) {
        guard code.count == latentDim else { return }
        pointA = code
        pointAName = name
    }

    /// `i`: the strip of letters decoded from A to the cursor (or the browsed letter).
    mutating func toggleInterpolation() -> ExplorerAction {
        if !showsInterpolation && pointA == nil {
            return .notice(mode == .browse ? "Mark point A first: M marks the browsed letter" : "Mark point A first: m marks the cursor")
        }
        showsInterpolation.toggle()
        return .none
    }
}
