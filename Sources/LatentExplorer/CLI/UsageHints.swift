import ArgumentParser

/// What ArgumentParser's own messages leave out: which subcommand a mistyped one was meant to be
/// (`latent-explorer trian`: "Did you mean 'train'?"; ArgumentParser suggests options itself), and that a
/// value starting with a minus is written with `=` (`--from -2,0.5` reads as a missing value followed by
/// an option).
enum UsageHints {
    /// The message to print instead of ArgumentParser's for `error`, or nil to print its own.
    static func message(for error: Error, arguments: [String], commands: [String], root: String) -> String? {
        let original = LatentExplorerCommand.fullMessage(for: error)
        // The default command (explore) takes no positional argument, so a first word that is no command
        // is a mistyped one, whatever else the parser found wrong after it.
        if let word = arguments.first, !word.hasPrefix("-"), !commands.contains(word),
           LatentExplorerCommand.exitCode(for: error) == .validationFailure {
            let suggestion = closest(to: word, among: commands).map { " Did you mean '\($0)'?" } ?? ""
            return """
                Error: Unknown command '\(word)'.\(suggestion)
                Usage: \(root) [<command>] [<options>]; commands: \(commands.joined(separator: ", "))
                  See '\(root) --help' for more information.
                """
        }
        if original.hasPrefix("Error: Missing value for '--"), let hint = negativeValueHint(arguments) {
            // When the value written with '=' would be refused too (`--epochs -1`), say that now rather
            // than send the user back twice.
            if let refusal = refusalOfEqualsForm(arguments) { return refusal }
            var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines.insert(hint, at: 1)
            return lines.joined(separator: "\n")
        }
        return nil
    }

    /// "Hint: a value that starts with a minus is written with '=': --from=-2,0.5", for the first option
    /// followed by such a value.
    static func negativeValueHint(_ arguments: [String]) -> String? {
        for (option, value) in zip(arguments, arguments.dropFirst())
        where option.hasPrefix("--") && !option.contains("=") && looksNegative(value) {
            return "Hint: a value that starts with a minus is written with '=': \(option)=\(value)"
        }
        return nil
    }

    /// The parser's error for the arguments with the first negative value joined to its option by '='
    /// (`--epochs=-1`), when that error is about the option itself (its value refused); nil otherwise,
    /// e.g. when the equals form is fine or fails only for another reason.
    static func refusalOfEqualsForm(_ arguments: [String]) -> String? {
        guard let index = arguments.indices.dropLast().first(where: { index in
            arguments[index].hasPrefix("--") && !arguments[index].contains("=") && looksNegative(arguments[index + 1])
        }) else { return nil }
        let option = arguments[index]
        let joined = Array(arguments[..<index]) + ["\(option)=\(arguments[index + 1])"] + Array(arguments[(index + 2)...])
        do {
            _ = try LatentExplorerCommand.parseAsRoot(joined)
            return nil
        } catch {
            let message = LatentExplorerCommand.fullMessage(for: error)
            let first = message.split(separator: "\n").first.map(String.init) ?? message
            return first.contains(option) && !first.contains("Missing") ? message : nil
        }
    }

    /// `-2,0.5`, `-.5`: a minus followed by a digit or a decimal point, which the parser reads as an option.
    static func looksNegative(_ text: String) -> Bool {
        guard text.hasPrefix("-"), let next = text.dropFirst().first else { return false }
        return next.isNumber || next == "."
    }

    /// The candidate within edit distance 2 (or a third of the word's length, if larger) closest to `word`.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        return candidates.map { ($0, editDistance(word.lowercased(), $0)) }
            .filter { $0.1 <= limit }
            .min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance, counting an exchange of two neighbouring characters as one edit
    /// ("trian" is one edit from "train").
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        // distance[i][j]: edits from a's first i characters to b's first j.
        var distance = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0 ... a.count { distance[i][0] = i }
        for j in 0 ... b.count { distance[0][j] = j }
        for i in 1 ... a.count {
            for j in 1 ... b.count {
                let substitution = distance[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                distance[i][j] = min(distance[i - 1][j] + 1, distance[i][j - 1] + 1, substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    distance[i][j] = min(distance[i][j], distance[i - 2][j - 2] + 1)
                }
            }
        }
        return distance[a.count][b.count]
    }
}
