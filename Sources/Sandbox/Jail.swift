import Foundation
import Processes

/// The bubblewrap policy every phase of an app runs under, and the launch of one sandbox.
///
/// Inside: the host's /usr read-only and a handful of /etc files (fonts, certificates, time
/// zone; a generated passwd, hosts and resolv.conf); the work directory read-write at
/// /srv/app and nothing else of the host's files; an empty size-limited /tmp as HOME; its own
/// user (uid 1000), pid, ipc, uts and cgroup namespaces; its own network namespace with only
/// loopback (or, for an install the profile lets out, a slirp4netns namespace that cannot
/// reach the host); an environment built from an allow-list. Outside: a control group counting
/// and capping processes and memory, rlimits on CPU time, file size and core dumps, a capped log.
public struct Jail: Sendable {
    /// Host directory mounted read-write at /srv/app.
    public var work: URL
    /// Host directories mounted read-only inside /srv/app (dependencies shared by every case).
    public var readOnly: [(host: URL, inside: String)] = []
    /// Host directory mounted read-write at /srv/status, where the launcher reports readiness.
    public var status: URL?
    /// The X display whose socket is made visible, if any.
    public var display: String?
    /// The host's sandbox/ folder (launcher scripts), read-only at /srv/appjudge.
    public var support: URL
    /// Generated /etc files (passwd, group, hosts, resolv.conf) in this host folder.
    public var etc: URL
    public var limits: ResourceLimits
    public var environment: [String: String] = [:]
    /// Descriptors the sandboxed program gets (its number: ours), e.g. a browser's DevTools pipe.
    public var descriptors: [Int32: Int32] = [:]
    /// A descriptor (ours) where bubblewrap writes `{"child-pid": N}` once the sandbox exists.
    public var infoDescriptor: Int32?

    /// Which network namespace a sandbox runs in.
    public enum Network: Sendable {
        /// Its own, with only loopback: nothing outside the sandbox is reachable.
        case isolated
        /// The install network: out to the internet through slirp4netns, not to the host.
        case egress(Egress)
        /// The namespace of another sandbox (`/proc/PID/ns/net`): one case's app joins its
        /// worker's browser, so the two meet on a loopback no one else shares.
        case joined(String)
    }

    /// The descriptor number `infoDescriptor` has inside bubblewrap.
    static let infoNumber: Int32 = 5

    /// The exit status of the host-side wrapper when it could not set up the limits.
    public static let setupFailed: Int32 = 125

    public static let appPath = "/srv/app"
    public static let statusPath = "/srv/status"
    public static let supportPath = "/srv/appjudge"

    public init(work: URL, support: URL, etc: URL, limits: ResourceLimits) {
        self.work = work
        self.support = support
        self.etc = etc
        self.limits = limits
    }

    /// The environment every phase starts from; nothing of AppJudge's own environment (API
    /// keys of an LLM judge, tokens, proxies) is in it.
    public static func baseEnvironment(port: Int?) -> [String: String] {
        var env = [
            "PATH": "\(appPath)/node_modules/.bin:\(appPath)/.appjudge-venv/bin:/usr/local/bin:/usr/bin:/bin",
            "HOME": "/tmp", "USER": "appjudge", "LANG": "C.UTF-8", "TMPDIR": "/tmp",
            // Non-interactive, no telemetry, no browser opened by dev servers.
            "CI": "1", "BROWSER": "none", "NO_UPDATE_NOTIFIER": "1", "npm_config_update_notifier": "false",
            "npm_config_fund": "false", "npm_config_audit": "false", "PIP_NO_INPUT": "1",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONUNBUFFERED": "1",
        ]
        if let port {
            env["PORT"] = "\(port)"
            env["HOST"] = "127.0.0.1"
        }
        return env
    }

    /// Writes the generated /etc files into `directory`.
    public static func writeEtc(to directory: URL) throws(SandboxError) {
        let files = [
            "passwd": "root:x:0:0:root:/nonexistent:/usr/sbin/nologin\nappjudge:x:1000:1000:AppJudge sandbox:/tmp:/bin/sh\n",
            "group": "root:x:0:\nappjudge:x:1000:\n",
            "hosts": "127.0.0.1 localhost appjudge\n::1 localhost ip6-localhost\n",
            "resolv.conf": Egress.resolvConf,
            "nsswitch.conf": "passwd: files\ngroup: files\nhosts: files dns\n",
        ]
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (name, text) in files { try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        } catch {
            throw .workspaceFailed("writing the sandbox's /etc files: \(error.localizedDescription)")
        }
    }

    /// bwrap's arguments for running `argv` inside; `network` false unshares the network.
    public func bubblewrapArguments(_ argv: [String], network: Bool) -> [String] {
        var args = [
            "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--uid", "1000", "--gid", "1000", "--die-with-parent", "--new-session", "--hostname", "appjudge",
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
            "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
        ]
        if !network { args.insert("--unshare-net", at: 0) }
        if infoDescriptor != nil { args += ["--info-fd", "\(Self.infoNumber)"] }
        for path in ["/etc/fonts", "/etc/ld.so.cache", "/etc/chromium", "/etc/mime.types", "/etc/localtime", "/etc/ssl", "/etc/ca-certificates"]
        where FileManager.default.fileExists(atPath: path) {
            args += ["--ro-bind", path, path]
        }
        for name in ["passwd", "group", "hosts", "resolv.conf", "nsswitch.conf"] {
            args += ["--ro-bind", etc.appendingPathComponent(name).path, "/etc/\(name)"]
        }
        args += ["--proc", "/proc", "--dev", "/dev", "--size", "\(limits.tmpBytes)", "--tmpfs", "/tmp"]
        args += ["--bind", work.path, Self.appPath]
        for (host, inside) in readOnly { args += ["--ro-bind", host.path, "\(Self.appPath)/\(inside)"] }
        args += ["--ro-bind", support.path, Self.supportPath]
        if let status { args += ["--bind", status.path, Self.statusPath] }
        if let display {
            let number = display.drop { $0 == ":" }.prefix { $0.isNumber }
            let socket = "/tmp/.X11-unix/X\(number)"
            args += ["--dir", "/tmp/.X11-unix", "--ro-bind", socket, socket]
        }
        args += ["--chdir", Self.appPath, "--"] + argv
        return args
    }

    /// The host command: a shell that joins the control group and sets the rlimits, then
    /// becomes bubblewrap (through nsenter when the network is another namespace).
    public func command(_ argv: [String], group: ControlGroup?, network: Network = .isolated, log: String) -> Command {
        var prelude = group.map { [$0.joinScript] } ?? []
        // CPU seconds, file size in 512-byte blocks, no core dumps (dash takes one per call).
        prelude += ["ulimit -t \(limits.cpuSeconds)", "ulimit -f \(limits.fileBytes / 512)", "ulimit -c 0"]
        // A failure here is AppJudge's, told apart from the app's by its exit code.
        prelude = ["{ \(prelude.joined(separator: " && ")); } || exit \(Self.setupFailed)", "exec \"$@\""]
        let enter: [String]
        switch network {
        case .isolated: enter = []
        case .egress(let egress): enter = egress.enter
        case .joined(let namespace): enter = ["/usr/bin/nsenter", "--net=\(namespace)", "--"]
        }
        let bwrap = [HostTools.bubblewrap] + bubblewrapArguments(argv, network: !enter.isEmpty)
        var env = environment
        if let display { env["DISPLAY"] = display }
        var command = Command(
            "/bin/sh", ["-c", prelude.joined(separator: "; "), "appjudge-jail"] + enter + bwrap,
            environment: env, output: .cappedFile(log, limit: limits.logBytes))
        command.mappedDescriptors = descriptors
        if let infoDescriptor { command.mappedDescriptors[Self.infoNumber] = infoDescriptor }
        return command
    }
}
