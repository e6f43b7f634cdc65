import Foundation
import Imaging
import Judge

/// Keeps frames as frames/<id>.png and remembers them for the HTML report.
final class FrameDirectory: FrameSink, @unchecked Sendable {
    let url: URL
    private let lock = NSLock()
    private(set) var frames: [String: (png: [UInt8], width: Int, height: Int)] = [:]

    init(url: URL) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func keep(_ image: Image, id: String) throws {
        let png = try PNG.encode(image)
        try Data(png).write(to: url.appendingPathComponent("\(id).png"))
        lock.lock()
        defer { lock.unlock() }
        frames[id] = (png, image.width, image.height)
    }

    var snapshot: [String: (png: [UInt8], width: Int, height: Int)] {
        lock.lock()
        defer { lock.unlock() }
        return frames
    }
}
