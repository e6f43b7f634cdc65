import Dispatch
import Foundation
import Synchronization

/// Ctrl-C and SIGTERM as a flag the evaluation polls between steps, so an interrupted run
/// tears down its processes and writes a report marked interrupted instead of dying mid-write.
public final class Interrupt: @unchecked Sendable {
    private let flag = Atomic<Bool>(false)
    /// Kept alive for the life of the process; written only by `install`.
    private var sources: [any DispatchSourceSignal] = []

    public init() {}

    public var isSet: Bool { flag.load(ordering: .relaxed) }
    public func set() { flag.store(true, ordering: .relaxed) }

    /// Routes SIGINT and SIGTERM to this flag. A second signal exits at once.
    public func install() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in
                if isSet { exit(ExitCode.interrupted) }
                set()
                FileHandle.standardError.write(Data("\nappjudge: interrupted; finishing the report (press Ctrl-C again to quit now)\n".utf8))
            }
            source.resume()
            sources.append(source)
        }
    }
}
