import Foundation
import Processes

/// Tools the web sandbox needs on the host, with the Debian package that provides each.
public enum HostTools {
    public static let bubblewrap = "/usr/bin/bwrap"
    public static let chromium = "/usr/lib/chromium/chromium"
    public static let python = "/usr/bin/python3"

    /// Throws for the first missing tool, naming its package.
    public static func check() throws(SandboxError) {
        for (path, package) in [(bubblewrap, "bubblewrap"), (chromium, "chromium"), (python, "python3")] {
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw .missingDependency(tool: path, package: package)
            }
        }
    }
}

/// The bubblewrap policy for a static web app and its browser, and the launch of one instance.
///
/// One instance per case: a fresh sandbox means a fresh browser profile (on the sandbox's own
/// tmpfs), so no cookie, localStorage or cache leaks between cases. Inside: the host's /usr
/// read-only, the site read-only, an empty /tmp, only the display's socket, no network beyond
/// the sandbox's own loopback, its own pid/ipc/uts namespaces, an unprivileged uid, and an
/// environment built from nothing.
public struct WebSandbox: Sendable {
    public var site: URL
    public var entry: String
    public var display: String
    public var width: Int
    public var height: Int
    /// The launcher run inside (sandbox/web-static.sh).
    public var launcher: URL
    public var port = 8000

    public init(site: URL, entry: String, display: String, width: Int, height: Int, launcher: URL) {
        self.site = site
        self.entry = entry
        self.display = display
        self.width = width
        self.height = height
        self.launcher = launcher
    }

    /// Chromium in app mode at the viewport size: kiosk so the page fills the private screen
    /// with no browser chrome, `--test-type` so no infobar warns about `--no-sandbox` (bubblewrap
    /// is the sandbox; Chromium's own needs privileges the namespace does not grant).
    public var browserFlags: [String] {
        [
            "--no-sandbox", "--test-type", "--kiosk", "--user-data-dir=/tmp/profile",
            "--window-position=0,0", "--window-size=\(width),\(height)", "--force-device-scale-factor=1",
            "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-extensions", "--disable-sync", "--disable-background-networking", "--disable-component-update",
            "--disable-default-apps", "--disable-translate", "--disable-features=Translate,MediaRouter,OptimizationHints",
            "--password-store=basic", "--noerrdialogs", "--disable-session-crashed-bubble", "--hide-crash-restore-bubble",
            "--log-level=3", "--disable-notifications", "--autoplay-policy=no-user-gesture-required",
        ]
    }

    /// The bwrap command line.
    public func command(log: String?) -> Command {
        let number = display.drop { $0 == ":" }.prefix { $0.isNumber }
        let socket = "/tmp/.X11-unix/X\(number)"
        var args = [
            "--unshare-all", "--unshare-user", "--uid", "1000", "--gid", "1000",
            "--die-with-parent", "--new-session", "--hostname", "appjudge",
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
            "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
        ]
        for path in ["/etc/fonts", "/etc/ld.so.cache", "/etc/chromium", "/etc/mime.types", "/etc/localtime"]
        where FileManager.default.fileExists(atPath: path) {
            args += ["--ro-bind", path, path]
        }
        args += [
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            "--dir", "/tmp/.X11-unix", "--ro-bind", socket, socket,
            "--ro-bind", site.path, "/srv/site",
            "--ro-bind", launcher.path, "/srv/launch.sh",
            "--chdir", "/srv/site",
            "--", "/bin/bash", "/srv/launch.sh",
        ]
        let environment = [
            "PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "DISPLAY": display,
            "APPJUDGE_PORT": "\(port)", "APPJUDGE_ENTRY": entry,
            "APPJUDGE_BROWSER_FLAGS": browserFlags.joined(separator: " "),
        ]
        return Command(HostTools.bubblewrap, args, environment: environment, output: log.map { .file($0) } ?? .discard)
    }

    /// Starts the sandbox; the returned process is the whole sandbox (its process group, and
    /// bubblewrap's pid namespace, which dies with it).
    public func launch(log: String?) throws(SandboxError) -> ChildProcess {
        do {
            return try ChildProcess(command(log: log))
        } catch {
            throw .launchFailed(error.description)
        }
    }
}
