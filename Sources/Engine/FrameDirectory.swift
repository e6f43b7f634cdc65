import Foundation
import Imaging
import Judge

/// Keeps frames as frames/<id>.png and remembers them for the HTML report. Frames are encoded
/// and written on a queue of their own, so a step goes on once its frame is taken rather than
/// once its PNG is on disk; a write that failed is reported by the next `keep` and by `written`.
final class FrameDirectory: FrameSink, @unchecked Sendable {
    let url: URL
    private let lock = NSLock()
    private let queue = DispatchQueue(label: "appjudge.frames")
    private var frames: [String: (png: [UInt8], width: Int, height: Int)] = [:]
    private var failure: String?

    init(url: URL) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    struct WriteFailure: Error, CustomStringConvertible {
        var description: String
    }

    func keep(_ image: Image, id: String) throws {
        if let failure = lock.withLock({ failure }) { throw WriteFailure(description: failure) }
        queue.async { [self] in
            let file = url.appendingPathComponent("\(id).png")
            do {
                let png = try PNG.encode(image)
                try Data(png).write(to: file)
                lock.withLock { frames[id] = (png, image.width, image.height) }
            } catch {
                lock.withLock { failure = failure ?? "Cannot write the frame \(file.path): \(error)" }
            }
        }
    }

    /// Every frame kept so far, once written, and the first write that failed.
    func written() -> (frames: [String: (png: [UInt8], width: Int, height: Int)], failure: String?) {
        queue.sync {}
        return lock.withLock { (frames, failure) }
    }
}
