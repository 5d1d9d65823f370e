import ArgumentParser

// Placeholder until the explorer lands (issue 3).
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explore", abstract: "Open the explorer.")
    func run() throws { throw CLIError("the explorer is not built yet") }
}
