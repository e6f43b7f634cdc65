import Foundation
import Processes

/// A network namespace with a way out to the internet but none to the host: slirp4netns
/// (user-mode networking, the one rootless containers use) with `--disable-host-loopback`, so
/// an install step can fetch packages yet cannot reach a service listening on the host's
/// loopback. Used only for the install phase, and only when the profile allows it.
public final class Egress: @unchecked Sendable {
    /// The process that holds the namespace open.
    private let holder: ChildProcess
    private let slirp: ChildProcess
    /// Prefix that runs a command inside the namespace.
    public var enter: [String] { ["/usr/bin/nsenter", "--net=/proc/\(holder.pid)/ns/net", "--"] }
    /// The resolver the namespace must use (slirp4netns's built-in DNS forwarder).
    public static let resolvConf = "nameserver 10.0.2.3\n"

    public init(log: String? = nil) throws(SandboxError) {
        for (tool, package) in [("/usr/bin/slirp4netns", "slirp4netns"), ("/usr/bin/unshare", "util-linux"), ("/usr/bin/nsenter", "util-linux")]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            throw .missingDependency(tool: tool, package: package)
        }
        do {
            holder = try ChildProcess(Command("/usr/bin/unshare", ["--net", "--", "/usr/bin/sleep", "infinity"], output: .discard))
        } catch {
            throw .launchFailed("the install network could not be created: \(error)")
        }
        // The namespace exists once the holder has exec'd sleep.
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, (try? String(contentsOfFile: "/proc/\(holder.pid)/comm", encoding: .utf8))?.hasPrefix("sleep") != true {
            usleep(2_000)
        }
        do {
            slirp = try ChildProcess(
                Command(
                    "/usr/bin/slirp4netns",
                    ["--configure", "--mtu=65520", "--disable-host-loopback", "\(holder.pid)", "tap0"],
                    output: log.map { .file($0) } ?? .discard))
        } catch {
            holder.terminate(grace: 0)
            throw .launchFailed("slirp4netns could not start: \(error)")
        }
        // Ready when the namespace has a default route.
        while Date() < deadline {
            let routes = (try? String(contentsOfFile: "/proc/\(holder.pid)/net/route", encoding: .utf8)) ?? ""
            if routes.split(separator: "\n").dropFirst().contains(where: { $0.split(separator: "\t").dropFirst().first == "00000000" }) { return }
            if slirp.poll() != nil { break }
            usleep(5_000)
        }
        close()
        throw .launchFailed("the install network did not come up (slirp4netns)")
    }

    public func close() {
        slirp.terminate(grace: 0)
        holder.terminate(grace: 0)
    }

    deinit { close() }
}
