import Foundation
import TestSupport
import XCTest
@testable import LetterData
@testable import VAE

/// No file makes the readers allocate more than its kind's cap, or more than its own header announces:
/// a gzip bomb stops at the first byte past what its header announces, a header that announces
/// gigabytes is refused before anything is allocated, a mapping may not inflate to gigabytes, and a
/// large weights file is refused from its size or its header alone.
final class BoundedMemoryTests: XCTestCase {
    /// One gzip member of `megabytes` MiB of zeros, repeated `copies` times: a stream of
    /// `megabytes * copies` MiB from a file about a thousand times smaller.
    private func zeroBomb(prefix: [UInt8], megabytes: Int, copies: Int) throws -> [UInt8] {
        let zeros = [UInt8](repeating: 0, count: megabytes << 20)
        let first = try DatasetWriter.compress(prefix + zeros)
        let rest = try DatasetWriter.compress(zeros)
        var file = first
        for _ in 1 ..< copies { file += rest }
        return file
    }

    private func idxHeader(count: UInt32) -> [UInt8] {
        [0x0000_0803, count, 28, 28].flatMap { withUnsafeBytes(of: UInt32($0).bigEndian, Array.init) }
    }

    func testAGzipBombStopsAtTheFirstByteItsHeaderDoesNotAnnounce() throws {
        let path = temporaryPath("images-idx3-ubyte.gz")
        // 100 images announced (78,416 bytes), 2 GiB inflated.
        try Data(try zeroBomb(prefix: idxHeader(count: 100), megabytes: 64, copies: 32)).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try IDXReader.readImages(path, transposed: true)) {
            XCTAssertEqual("\($0)", "cannot read \(path): the gzip stream holds more than the 78416 bytes its header announces")
        }
    }

    func testAHeaderAnnouncingMoreThanTheCapIsRefusedBeforeAllocating() throws {
        let path = temporaryPath("images-idx3-ubyte.gz")
        try Data(try DatasetWriter.compress(idxHeader(count: 13_000_000) + [UInt8](repeating: 0, count: 1 << 20)))
            .write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try IDXReader.readImages(path, transposed: true)) {
            XCTAssertEqual($0 as? DataError, .tooLarge(path: path, limit: IDXReader.maximumImageFileBytes))
        }
        // Announcing less than the stream holds is refused too; announcing more is a truncation.
        try Data(try DatasetWriter.compress(idxHeader(count: 2) + [UInt8](repeating: 0, count: 784))).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try IDXReader.readImages(path, transposed: true)) {
            XCTAssertEqual($0 as? DataError, .truncated(path: path, expectedBytes: 16 + 2 * 784, actualBytes: 16 + 784))
        }
    }

    func testAMappingMayNotInflateToGigabytes() throws {
        let path = temporaryPath("emnist-letters-mapping.txt.gz")
        try Data(try zeroBomb(prefix: Array("1 97\n".utf8), megabytes: 64, copies: 64)).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ClassNames.readMapping(path)) {
            XCTAssertEqual($0 as? DataError, .tooLarge(path: path, limit: ClassNames.maximumMappingBytes))
        }
    }

    /// A 2 GiB weights file is refused from its size; a large one is refused from its header (a text
    /// file's first bytes, a header for a model that does not match) without its data being read.
    func testLargeWeightsFilesAreRefusedFromTheirSizeOrTheirHeader() throws {
        let path = temporaryPath("big.safetensors")
        func sparse(_ prefix: [UInt8], size: Int) throws {
            _ = FileManager.default.createFile(atPath: path, contents: Data(prefix))
            XCTAssertEqual(truncate(path, off_t(size)), 0)
        }
        func message() -> String { do { _ = try WeightsFile.load(path); return "loaded" } catch { return "\(error)" } }
        try sparse(Array("# README\n".utf8), size: 2 << 30)
        XCTAssertTrue(message().contains("larger than the"), message())
        try sparse(Array("# README\n".utf8), size: 200 << 20)
        XCTAssertTrue(message().contains("is not a safetensors file: its first 8 bytes give a header length of"), message())
        // A valid header whose one tensor fills 200 MB of (unread) zeros: not a model this program builds.
        let header = #"{"encoder.hidden.weight":{"dtype":"F32","shape":[50,1048576],"data_offsets":[0,209715200]}}"#
        try sparse(withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian, Array.init) + Array(header.utf8),
                   size: 8 + header.utf8.count + 209_715_200)
        XCTAssertTrue(message().contains("does not hold a LatentExplorer VAE"), message())
    }
}
