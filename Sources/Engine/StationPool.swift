import Foundation
import Sandbox

/// Workers' displays and browsers kept from one evaluation to the next, for runs of many
/// evaluations (a task suite's validation, a suite's pairs). Starting a worker's Xvfb, browser
/// and OCR engine takes about 1.3 s and more than a CPU-second, and a warm browser's first case
/// skips the slow first window. Nothing of an app outlives its case either way: every case
/// gets a fresh browser context and a fresh sandbox, and every desktop app after a station's
/// first gets an X server of its own (see `Station`).
public final class StationPool: @unchecked Sendable {
    /// What makes a station fit an evaluation: its screen, and its browser's setup.
    struct Fit: Equatable {
        var width: Int
        var height: Int
        var web: Bool
        var support: URL
        var limits: ResourceLimits

        /// A new station of this fit: its display logs to `xvfbLog`; a web app's browser, whose
        /// sandbox gets the /etc files in `etc`, logs to `browserLog`.
        func station(etc: URL, xvfbLog: String, browserLog: String) throws -> Station {
            let browser = web ? Station.BrowserSetup(support: support, etc: etc, limits: limits, log: browserLog) : nil
            return try Station(width: width, height: height, log: xvfbLog, browser: browser)
        }
    }

    private let lock = NSLock()
    private var idle: [(fit: Fit, station: Station)] = []
    private var started = 0
    private var closed = false
    /// The browsers' /etc files and the stations' logs: the pool's, not any one evaluation's.
    public let folder: URL
    private let etc: URL

    /// Keeps the stations' files in `folder` (created; left in place for their logs).
    public init(folder: URL) throws(SandboxError) {
        self.folder = folder
        etc = folder.appendingPathComponent("etc")
        try Jail.writeEtc(to: etc)
    }

    /// An idle station that fits, if there is one; the caller owns it until `giveBack`.
    func take(_ fit: Fit) -> Station? {
        lock.withLock {
            guard let i = idle.firstIndex(where: { $0.fit == fit }) else { return nil }
            return idle.remove(at: i).station
        }
    }

    /// A new station that will fit `fit` when given back; its logs are named by its number.
    func start(_ fit: Fit) throws -> Station {
        let number = lock.withLock {
            started += 1
            return started
        }
        return try fit.station(
            etc: etc, xvfbLog: folder.appendingPathComponent("xvfb-\(number).log").path,
            browserLog: folder.appendingPathComponent("browser-\(number).log").path)
    }

    /// At most this many stations wait idle; the longest-idle one goes first (a suite that
    /// alternates screen sizes would otherwise keep a browser per size and worker).
    var idleLimit = 8

    /// Keeps `station` for the next evaluation that fits (closes it once the pool is closed).
    func giveBack(_ station: Station, fit: Fit) {
        let surplus: [Station] = lock.withLock {
            guard !closed else { return [station] }
            idle.append((fit, station))
            let over = max(0, idle.count - idleLimit)
            defer { idle.removeFirst(over) }
            return idle.prefix(over).map(\.station)
        }
        surplus.forEach { $0.close() }
    }

    /// Stops every idle station.
    public func close() {
        let stations = lock.withLock {
            closed = true
            defer { idle = [] }
            return idle.map(\.station)
        }
        stations.forEach { $0.close() }
    }

    deinit { close() }
}
