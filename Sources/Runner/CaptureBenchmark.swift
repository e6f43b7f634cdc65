import Foundation

/// Placeholder replaced below.
struct CaptureBenchmark {
    var home: URL
    var frames: Int
    var width: Int
    var height: Int
    func run(_ emit: (String) -> Void) throws(RunError) {}
}
