import Foundation
import XCTest
@testable import Support

/// Deterministic, seeded mutations of valid inputs for the fuzz suites: each case takes one of the
/// valid seed inputs and applies one to four random edits (bit flips, interesting bytes and integers,
/// tokens of the format inserted or spliced in, deletions, duplications, truncation, runs of one
/// byte). The same seed gives the same cases on every machine.
struct FuzzMutator {
    private var generator: SeededGenerator
    /// Byte strings that mean something in the format (`,`, `1e999`, `"shape":`), inserted or spliced in.
    var tokens: [[UInt8]]
    /// Where the interesting bytes are (a header): half of all edit positions fall in it.
    var focus: Range<Int>?

    init(seed: UInt64, tokens: [String] = [], focus: Range<Int>? = nil) {
        generator = SeededGenerator(seed: seed)
        self.tokens = tokens.map { Array($0.utf8) }
        self.focus = focus
    }

    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &generator) }
    mutating func chance(_ probability: Double) -> Bool { Double(generator.next() >> 11) / Double(1 << 53) < probability }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0 ..< items.count)] }

    /// Integers at the edges of what sizes and counts can be, for overwriting length fields.
    static let interestingIntegers: [UInt64] = [
        0, 1, 2, 3, 4, 7, 8, 16, 27, 28, 29, 255, 256, 784, 785, 1_000, 4_096, 65_535, 65_536,
        0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF, 1 << 32, 1 << 40, 1 << 52, 1 << 62,
        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, UInt64.max - 1, UInt64.max,
    ]
    static let interestingBytes: [UInt8] = [0, 1, 0x7F, 0x80, 0xFF, 0x0A, 0x0D, 0x09, 0x20] + Array("0159,.-+e\"{}[]:".utf8)

    /// `input` with one to four random edits.
    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        let edits = pick([1, 1, 1, 2, 2, 3, 4])
        for _ in 0 ..< edits { edit(&bytes) }
        return bytes
    }

    private mutating func position(in bytes: [UInt8], allowingEnd: Bool = false) -> Int {
        let count = bytes.count + (allowingEnd ? 1 : 0)
        guard count > 0 else { return 0 }
        if let focus, chance(0.5) {
            let lower = min(focus.lowerBound, count - 1), upper = min(focus.upperBound, count)
            if lower < upper { return int(lower ..< upper) }
        }
        return int(0 ..< count)
    }

    private mutating func span(in bytes: [UInt8], maximum: Int) -> Range<Int> {
        let start = position(in: bytes, allowingEnd: true)
        let length = int(0 ..< min(maximum, bytes.count - start) + 1)
        return start ..< start + length
    }

    private mutating func token() -> [UInt8] {
        tokens.isEmpty || chance(0.2) ? [pick(Self.interestingBytes)] : pick(tokens)
    }

    private mutating func edit(_ bytes: inout [UInt8]) {
        switch int(0 ..< 11) {
        case 0 where !bytes.isEmpty:   // flip bits
            for _ in 0 ..< int(1 ..< 9) { bytes[position(in: bytes)] ^= 1 << UInt8(int(0 ..< 8)) }
        case 1 where !bytes.isEmpty:   // a random byte
            bytes[position(in: bytes)] = UInt8(truncatingIfNeeded: generator.next())
        case 2 where !bytes.isEmpty:   // an interesting byte
            bytes[position(in: bytes)] = pick(Self.interestingBytes)
        case 3:   // an interesting integer, 1-8 bytes wide, either byte order
            let width = pick([1, 2, 4, 8])
            var value = pick(Self.interestingIntegers)
            if chance(0.3) { value = value &+ UInt64(bitPattern: Int64(int(-2 ..< 3))) }
            let at = position(in: bytes, allowingEnd: true)
            var encoded = (0 ..< width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
            if chance(0.5) { encoded.reverse() }   // big-endian
            bytes.replaceSubrange(at ..< min(at + width, bytes.count), with: encoded)
        case 4:   // insert a token
            bytes.insert(contentsOf: token(), at: position(in: bytes, allowingEnd: true))
        case 5:   // replace a span with a token
            bytes.replaceSubrange(span(in: bytes, maximum: 16), with: token())
        case 6:   // delete a span
            bytes.removeSubrange(span(in: bytes, maximum: 64))
        case 7:   // duplicate a span elsewhere
            let copied = Array(bytes[span(in: bytes, maximum: 256)])
            bytes.insert(contentsOf: copied, at: position(in: bytes, allowingEnd: true))
        case 8:   // truncate
            bytes.removeSubrange(position(in: bytes, allowingEnd: true)...)
        case 9:   // append junk or a token
            bytes += chance(0.5) ? token() : (0 ..< int(1 ..< 65)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        default:   // a run of one byte (deep nesting, long numbers, many blank lines)
            let source = chance(0.5) ? Self.interestingBytes : token()
            let run = [UInt8](repeating: source.isEmpty ? 0x20 : pick(source), count: int(1 ..< 4_097))
            bytes.insert(contentsOf: run, at: position(in: bytes, allowingEnd: true))
        }
    }
}

/// One fuzz campaign over one reader: `cases` mutated inputs, each of which must be accepted (and
/// then satisfy the reader's invariants) or refused with a typed error whose message is one line.
/// A crash or trap ends the test process, which fails the suite.
///
/// `LATENT_EXPLORER_FUZZ_CASES` sets the cases per reader (default 1,000), `LATENT_EXPLORER_FUZZ_SEED`
/// the seed (default 1), and `LATENT_EXPLORER_FUZZ_VERBOSE=1` prints each case's number before it
/// runs, to find the input that crashed.
struct FuzzCampaign {
    static let defaultCases = 1_000
    static let defaultSeed: UInt64 = 1

    static var cases: Int {
        ProcessInfo.processInfo.environment["LATENT_EXPLORER_FUZZ_CASES"].flatMap { Int($0) }.map { max($0, 1) } ?? defaultCases
    }

    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["LATENT_EXPLORER_FUZZ_SEED"].flatMap { UInt64($0) } ?? defaultSeed
    }

    static var verbose: Bool { ProcessInfo.processInfo.environment["LATENT_EXPLORER_FUZZ_VERBOSE"] == "1" }

    let name: String
    var accepted = 0
    var refused = 0
    /// Refusal messages with their numbers and quoted text blanked: how many kinds of error were reached.
    var kinds = Set<String>()

    /// Runs the campaign. `makeCase` turns a case number into an input (using `mutator`), `read`
    /// parses it and checks the invariants of what it accepted, and `isTyped` says whether an error is
    /// of the reader's own kind.
    static func run(_ name: String, mutator: inout FuzzMutator, makeCase: (inout FuzzMutator) -> [UInt8],
                    isTyped: (Error) -> Bool, read: ([UInt8]) throws -> Void,
                    file: StaticString = #filePath, line: UInt = #line) -> FuzzCampaign {
        var campaign = FuzzCampaign(name: name)
        let start = Date()
        for index in 0 ..< cases {
            let input = makeCase(&mutator)
            if verbose { FileHandle.standardError.write(Data("fuzz \(name) case \(index): \(input.count) bytes\n".utf8)) }   // unbuffered: the last line before a crash is the culprit
            do {
                try read(input)
                campaign.accepted += 1
            } catch {
                campaign.refused += 1
                let message = "\(error)"
                guard isTyped(error), !message.isEmpty, !message.contains("\n"), !message.contains("\r") else {
                    let saved = FileManager.default.temporaryDirectory.appendingPathComponent("latent-explorer-fuzz-\(name)-\(index).bin")
                    try? Data(input).write(to: saved)
                    XCTFail("\(name) case \(index) (seed \(seed)): \(type(of: error)) \(message.debugDescription); input saved to \(saved.path)",
                            file: file, line: line)
                    continue
                }
                campaign.kinds.insert(Self.kind(of: message))
            }
        }
        let seconds = Date().timeIntervalSince(start)
        print("fuzz \(name): \(cases) cases (seed \(seed)) in \(String(format: "%.2f", seconds)) s: \(campaign.accepted) accepted, \(campaign.refused) refused with \(campaign.kinds.count) kinds of message")
        return campaign
    }

    /// The message with quoted text dropped and every word holding a digit (a count, 0x803) as `#`.
    private static func kind(of message: String) -> String {
        var out = ""
        var word = ""
        var inQuote = false
        func flushWord() {
            out += word.contains(where: \.isNumber) ? "#" : word
            word = ""
        }
        for character in message {
            if character == "'" { flushWord(); inQuote.toggle(); out.append(character); continue }
            if inQuote { continue }
            if character.isLetter || character.isNumber { word.append(character) } else { flushWord(); out.append(character) }
        }
        flushWord()
        return out
    }
}
