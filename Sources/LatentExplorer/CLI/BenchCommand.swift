import ArgumentParser

// Placeholder until the benchmark lands (issue 4).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measure speed.")
    func run() throws { throw CLIError("the benchmark is not built yet") }
}
