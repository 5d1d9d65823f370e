import CKernels
import XCTest

/// `lx_to_channel_major`, [batch, channels, plane] -> [channels, batch * plane], against the index
/// formula: planes of every length from 1 to 40 (whole vectors and every tail), 49 and 196 (the conv
/// VAE's), with nothing written past the end.
final class ChannelMajorLayoutTests: XCTestCase {
    func testToChannelMajorMovesEachPlane() {
        let guardFloats = 16, sentinel: Float = -7
        for plane in Array(1 ... 40) + [49, 196] {
            for (batch, channels) in [(1, 1), (3, 2), (2, 5)] {
                let count = batch * channels * plane
                let src = (0 ..< count).map { Float($0) }
                var dst = [Float](repeating: sentinel, count: count + guardFloats)
                lx_to_channel_major(src, &dst, batch, channels, plane)
                for b in 0 ..< batch {
                    for c in 0 ..< channels {
                        for q in 0 ..< plane {
                            XCTAssertEqual(dst[(c * batch + b) * plane + q], src[(b * channels + c) * plane + q],
                                           "plane \(plane), image \(b), channel \(c), position \(q)")
                        }
                    }
                }
                XCTAssertEqual(Array(dst[count...]), [Float](repeating: sentinel, count: guardFloats),
                               "plane \(plane): written past the end")
            }
        }
    }
}
