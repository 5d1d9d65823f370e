import Foundation

/// The CPU the figures were measured on, as /proc/cpuinfo names it, for the record beside them.
enum CPUDescription {
    /// The first "model name" line's value, or "unknown" where /proc/cpuinfo cannot be read (not Linux)
    /// or names none (some ARM kernels). Read with stdio: /proc files announce a size of 0.
    static var modelName: String {
        guard let file = fopen("/proc/cpuinfo", "r") else { return "unknown" }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            guard text.hasPrefix("model name"), let colon = text.firstIndex(of: ":") else { continue }
            return text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return "unknown"
    }
}
