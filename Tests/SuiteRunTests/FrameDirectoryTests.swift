import Foundation
import Imaging
import Testing

@testable import Engine

@Suite("Frame directory")
struct FrameDirectoryTests {
    @Test func framesAreWrittenBeforeTheReportReadsThem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frames-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let frames = try FrameDirectory(url: folder)
        for i in 0..<5 { try frames.keep(Image(width: 30, height: 20, fill: RGB(UInt8(i), 0, 0)), id: "case-0\(i)") }
        let (kept, failure) = frames.written()
        #expect(failure == nil)
        #expect(kept.keys.sorted() == (0..<5).map { "case-0\($0)" })
        for i in 0..<5 { #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("case-0\(i).png").path)) }
    }

    @Test func aFailedWriteIsReportedNotLost() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frames-\(UUID().uuidString)")
        let frames = try FrameDirectory(url: folder)
        try FileManager.default.removeItem(at: folder)
        try frames.keep(Image(width: 30, height: 20, fill: RGB(1, 2, 3)), id: "case-01")
        let (_, failure) = frames.written()
        #expect(failure?.contains(folder.appendingPathComponent("case-01.png").path) == true)
        // The next frame is refused with the same sentence: the case ends as an error.
        #expect(throws: FrameDirectory.WriteFailure.self) { try frames.keep(Image(width: 30, height: 20, fill: RGB(1, 2, 3)), id: "case-02") }
    }
}
