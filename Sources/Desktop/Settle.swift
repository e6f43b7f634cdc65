import Foundation
import Imaging

/// Something that can be photographed: the real display, or a fake in tests.
public protocol FrameSource: Sendable {
    func capture() throws(DesktopError) -> Image
}

extension XDisplay: FrameSource {}

/// The outcome of waiting for the screen to stop changing.
public struct Settled: Sendable {
    public var frame: Image
    /// False when the bound ran out first (an animation, a blinking caret that never rests).
    public var settled: Bool
    public var waited: Double
    public var captures: Int
}

extension FrameSource {
    /// Captures until `stableFrames` consecutive frames are identical, at most `timeout`
    /// seconds. This replaces fixed sleeps: a fast app is read as soon as it is still.
    public func waitUntilSettled(timeout: Double = 5, interval: Double = 0.04, stableFrames: Int = 3) throws(DesktopError) -> Settled {
        let start = Date()
        var last = try capture()
        var lastDigest = last.digest
        var same = 1, captures = 1
        while same < stableFrames {
            if Date().timeIntervalSince(start) >= timeout {
                return Settled(frame: last, settled: false, waited: Date().timeIntervalSince(start), captures: captures)
            }
            usleep(useconds_t(interval * 1_000_000))
            let next = try capture()
            captures += 1
            let digest = next.digest
            same = digest == lastDigest ? same + 1 : 1
            last = next
            lastDigest = digest
        }
        return Settled(frame: last, settled: true, waited: Date().timeIntervalSince(start), captures: captures)
    }
}
