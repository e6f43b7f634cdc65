import Foundation
import Processes

/// Tools the sandbox needs on the host, with the Debian package that provides each.
public enum HostTools {
    public static let bubblewrap = "/usr/bin/bwrap"
    public static let chromium = "/usr/lib/chromium/chromium"
    public static let python = "/usr/bin/python3"

    /// Throws for the first missing tool, naming its package.
    public static func check() throws(SandboxError) {
        for (path, package) in [(bubblewrap, "bubblewrap"), (chromium, "chromium"), (python, "python3"), ("/usr/bin/slirp4netns", "slirp4netns")] {
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw .missingDependency(tool: path, package: package)
            }
        }
    }
}

/// How Chromium shows a web app on the private display.
public enum Browser {
    /// Chromium in app mode at the viewport size: kiosk so the page fills the private screen
    /// with no browser chrome, `--test-type` so no infobar warns about `--no-sandbox` (bubblewrap
    /// is the sandbox; Chromium's own needs privileges the namespace does not grant).
    public static func flags(width: Int, height: Int) -> [String] {
        [
            "--no-sandbox", "--test-type", "--kiosk", "--user-data-dir=/tmp/profile",
            "--window-position=0,0", "--window-size=\(width),\(height)", "--force-device-scale-factor=1",
            "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-extensions", "--disable-sync", "--disable-background-networking", "--disable-component-update",
            "--disable-default-apps", "--disable-translate",
            // The omnibox popups are web pages of their own: two renderers per window, never shown
            // in kiosk mode, that took half of the CPU a todo-list evaluation spent (Chromium 156).
            "--disable-features=Translate,MediaRouter,OptimizationHints,WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup,"
                + "AiModeOmniboxEntryPoint",
            "--password-store=basic", "--noerrdialogs", "--disable-session-crashed-bubble", "--hide-crash-restore-bubble",
            "--log-level=3", "--disable-notifications", "--autoplay-policy=no-user-gesture-required",
        ]
    }

}
