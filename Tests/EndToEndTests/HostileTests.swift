import Foundation
import Processes
import TestSupport
import Testing

/// A TCP listener on the host's loopback that counts who connects.
final class LoopbackListener: @unchecked Sendable {
    private let fd: Int32
    /// The port it listens on (chosen by the kernel when 0 was asked for).
    let port: UInt16
    private let lock = NSLock()
    private var count = 0
    private var running = true

    init(port wanted: UInt16 = 0) throws {
        (fd, port) = try listenOnLoopback(port: wanted)
        Thread { [self] in
            while isRunning {
                let client = accept(fd, nil, nil)
                if client >= 0 {
                    bump()
                    close(client)
                } else {
                    usleep(20_000)
                }
            }
        }.start()
    }

    private var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    private func bump() {
        lock.lock()
        count += 1
        lock.unlock()
    }

    var connections: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    func stop() {
        lock.lock()
        running = false
        lock.unlock()
        usleep(50_000)
        close(fd)
    }
}

/// Every file under `directory` whose bytes contain `needle`.
func files(in directory: URL, containing needle: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return [] }
    var hits: [String] = []
    while let item = walker.nextObject() as? String {
        let path = directory.appendingPathComponent(item).path
        if let data = FileManager.default.contents(atPath: path), data.range(of: Data(needle.utf8)) != nil { hits.append(item) }
    }
    return hits
}

func log(_ out: URL, _ name: String) -> String {
    (try? String(contentsOf: out.appendingPathComponent("counter/logs/\(name).log"), encoding: .utf8)) ?? ""
}

/// Repositories that attack the host during install, build and run. Each must end with a
/// report, and nothing may be read, written, reached or left running.
@Suite("Hostile repositories are contained", .serialized, .timeLimit(.minutes(15)))
struct HostileTests {
    @Test func secretsInTheEnvironmentAndHomeAreNotReadable() throws {
        let token = UUID().uuidString.prefix(12).lowercased()
        let envCanary = "sk-canary-env-\(token)", fileCanary = "canary-file-\(token)"
        let home = FileManager.default.homeDirectoryForCurrentUser
        let secretFile = home.appendingPathComponent(".appjudge-canary-\(token)")
        try fileCanary.write(to: secretFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secretFile) }
        let (result, json, out) = try evaluateCounter(
            "hostile/read-secrets", environment: ["OPENAI_API_KEY": envCanary, "ANTHROPIC_API_KEY": envCanary, "HOME": home.path])
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(json["status"] as? String == "completed", "\(result.output)")
        // It did look, in every phase.
        for phase in ["install", "build", "increment"] { #expect(log(out, phase).contains("=== environment ==="), "\(phase)") }
        #expect(files(in: out, containing: envCanary).isEmpty)
        #expect(files(in: out, containing: fileCanary).isEmpty)
        #expect(!result.output.contains(token))
        expectNothingLeftBehind()
    }

    @Test func nothingIsWrittenOutsideTheWorkDirectory() throws {
        let targets = ["/tmp", "/var/tmp", "/dev/shm", "/root", "/work", "/etc", "/usr", FileManager.default.homeDirectoryForCurrentUser.path]
        func written() -> [String] {
            targets.flatMap { dir in
                ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix("appjudge-hostile-written") }
                    .map { "\(dir)/\($0)" }
            }
        }
        let before = Set(written())
        let (result, json, out) = try evaluateCounter("hostile/write-outside")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(json["status"] as? String == "completed", "\(result.output)")
        #expect(log(out, "build").contains("appjudge-hostile-written-build"))
        #expect(Set(written()).subtracting(before).isEmpty, "\(written())")
        expectNothingLeftBehind()
    }

    @Test func theHostsLoopbackIsNotReachableInAnyPhase() throws {
        let listener = try LoopbackListener(port: 47613)
        defer { listener.stop() }
        let (result, json, out) = try evaluateCounter("hostile/connect-host")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(json["status"] as? String == "completed", "\(result.output)")
        for phase in ["install", "build", "increment"] { #expect(log(out, phase).contains("47613"), "\(phase)") }
        #expect(listener.connections == 0, "the app reached the host's loopback")
        expectNothingLeftBehind()
    }

    @Test func aDaemonStartedWithSetsidDoesNotSurvive() throws {
        let (result, json, out) = try evaluateCounter("hostile/daemon")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(json["status"] as? String == "completed", "\(result.output)")
        #expect(log(out, "build").contains("started daemon"))
        #expect(HostProcesses.matching("appjudge-hostile-daemon").isEmpty)
        expectNothingLeftBehind()
    }

    @Test func thousandsOfProcessesAreCappedAndKilled() throws {
        let (result, json, out) = try evaluateCounter("hostile/fork-many")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(json["status"] as? String == "completed", "\(result.output)")
        let build = log(out, "build")
        let started = build.firstMatch(of: /started (\d+) of 5000/).flatMap { Int($0.1) }
        #expect(started != nil && started! < 5000, "\(build.suffix(400))")
        #expect(HostProcesses.matching("appjudge-hostile-forker").isEmpty)
        expectNothingLeftBehind()
    }

    @Test func writingGigabytesIsStoppedAndCleanedUp() throws {
        let (result, json, out) = try evaluateCounter("hostile/write-big")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(json["status"] as? String == "completed", "\(result.output)")
        let build = log(out, "build")
        #expect(
            build.contains("File too large") || build.contains("No space left") || json["outcome"] as? String == "build_failed",
            "\(build.suffix(600))")
        // The per-file limit keeps big.bin at 1 GiB; the private /tmp stops at its size.
        #expect(!build.contains("/tmp/big.bin: done, 3221225472"))
        let leftovers = ((try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []).filter { $0.hasPrefix("appjudge-") }
            .filter { FileManager.default.fileExists(atPath: NSTemporaryDirectory() + "/\($0)/repo/big.bin") }
        #expect(leftovers.isEmpty, "work directories left: \(leftovers)")
        expectNothingLeftBehind()
    }

    @Test func textMeantToMisleadTheJudgeChangesNothing() throws {
        let (result, json, out) = try evaluateCounter("hostile/misleading")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(result.status == 1, "\(result.output)")
        #expect(failing(json) == ["increment"])
        let html = try String(contentsOf: out.appendingPathComponent("counter/report.html"), encoding: .utf8)
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img src=x"))
        expectNothingLeftBehind()
    }

    /// The browser reads the page over a DevTools pipe and shares only a network namespace with
    /// the app: the app's processes cannot see the browser's processes (so not its pipe), find no
    /// debugging port and no X display, and the case they try to turn stays failed.
    @Test func theBrowsersChannelCannotBeUsedToChangeAVerdict() throws {
        let (result, json, out) = try evaluateCounter("hostile/devtools-channel")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(json["status"] as? String == "completed", "\(result.output)")
        #expect(failing(json) == ["increment"], "\(result.output)")
        let attack = log(out, "increment")
        #expect(attack.contains("### round"), "\(attack.prefix(600))")
        #expect(attack.contains("BLOCKED no chromium process is visible"), "\(attack.prefix(1200))")
        #expect(attack.contains("BLOCKED connect 127.0.0.1:9222"), "\(attack.prefix(1200))")
        #expect(attack.contains("BLOCKED DISPLAY is None"), "\(attack.prefix(1200))")
        #expect(!attack.contains("SUCCEEDED"), "\(attack)")
        expectNothingLeftBehind()
    }
}
