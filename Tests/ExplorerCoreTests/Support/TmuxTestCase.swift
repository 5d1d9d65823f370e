import XCTest

/// A suite that drives the built explorer in a tmux session of its own: each test gets a fresh
/// `session`, skips in one line when tmux is missing, and the session is killed when the test ends,
/// whatever the test did. Suites override `setUpWithError`/`tearDown` only for what they add.
class TmuxTestCase: XCTestCase {
    var session: TmuxSession!

    override func setUpWithError() throws {
        try super.setUpWithError()
        try TmuxSession.require()
        session = TmuxSession()
    }

    override func tearDown() {
        session?.kill()
        super.tearDown()
    }
}
