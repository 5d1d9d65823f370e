import ArgumentParser
import FileFormats
import Foundation
import LetterData
import Pictures
import Support
import VAE

/// A one-line error for the user; ArgumentParser prints "Error: <message>" to stderr and exits non-zero.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    /// The message passes `TextSanitizer`: it may quote file names and file contents, and is capped at
    /// `TextSanitizer.messageLimit` characters.
    init(_ message: String) { description = TextSanitizer.capped(TextSanitizer.clean(message)) }

    /// Runs `body`, turning the library's errors into one-line messages.
    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DataError {
            throw CLIError(error.description)
        } catch let error as DataSelectionError {
            throw CLIError(error.description)
        } catch let error as WeightsError {
            throw CLIError(error.description)
        } catch let error as ModelError {
            throw CLIError(error.description)
        } catch let error as FileWriteError {
            throw CLIError(error.description)
        } catch let error as PictureTooLarge {
            throw CLIError(error.description)
        } catch let error as IDXWriteError {
            throw CLIError(error.description)
        } catch let error as HandwrittenText.Refusal {
            throw CLIError(error.description)
        }
    }
}

extension FileHandle {
    /// Writes `message` and `terminator` to standard error at once (it is unbuffered).
    static func printError(_ message: String, terminator: String = "\n") {
        FileHandle.standardError.write(Data((message + terminator).utf8))
    }
}
