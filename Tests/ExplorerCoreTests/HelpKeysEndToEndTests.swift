import ExplorerCore
import Foundation
import XCTest

/// What htop and btop users reach for: F1 opens the help, and a key that does nothing says so.
final class HelpKeysEndToEndTests: TmuxTestCase {
    func testF1OpensTheHelpAndAnUnknownKeySaysSo() {
        session.start(width: 120, height: 40, arguments: "--data synthetic --test-count 260")
        session.waitFor("the explorer") { $0.contains("Latent plane") && $0.contains("Decoded at cursor") }
        session.keys("%")
        session.waitFor("feedback on the unknown key") { $0.contains("'%' does nothing here: ? or F1 shows the keys") }
        session.keys("F1")
        session.waitFor("the help") { $0.contains("─ Keys ─") && $0.contains("move the cursor one tile") }
        session.keys("Escape")
        session.waitFor("the help closed") { !$0.contains("─ Keys ─") }
        session.keys("q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }

    func testEveryUnknownKeyOnThePlaneGivesANotice() {
        var state = ExplorerState(catalog: ClassCatalog(entries: []), latentDim: 2)
        XCTAssertEqual(state.apply(.character("%")), .notice("'%' does nothing here: ? or F1 shows the keys"))
        XCTAssertEqual(state.apply(.character("\u{7}")), .notice("code 7 does nothing here: ? or F1 shows the keys"))
        XCTAssertEqual(state.apply(.right), .none, "a movement key is no unknown key")
    }
}
