import Foundation

/// A fresh private copy of a repository. The app only ever sees this copy, never the original,
/// and the copy is deleted when the evaluation ends.
public final class Workspace: @unchecked Sendable {
    public let root: URL
    /// The copied repository.
    public let repository: URL

    /// Copies `repository` (without its .git folder) into a new directory under `parent`.
    public init(copying repository: URL, parent: URL = FileManager.default.temporaryDirectory) throws(SandboxError) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: repository.path, isDirectory: &isDir), isDir.boolValue else {
            throw .repositoryMissing(repository.path)
        }
        let fm = FileManager.default
        root = parent.appendingPathComponent("appjudge-\(UUID().uuidString.prefix(8).lowercased())")
        self.repository = root.appendingPathComponent("repo")
        do {
            try fm.createDirectory(at: self.repository, withIntermediateDirectories: true)
            for item in try fm.contentsOfDirectory(atPath: repository.path) where item != ".git" {
                // Symbolic links are copied as links: inside the sandbox they resolve against the
                // sandbox's own file system, where host paths they might name are not mounted.
                try fm.copyItem(at: repository.appendingPathComponent(item), to: self.repository.appendingPathComponent(item))
            }
        } catch {
            try? fm.removeItem(at: root)
            throw .workspaceFailed("copying \(repository.path): \(error.localizedDescription)")
        }
    }

    /// Puts the task's files into the copy at their relative paths, leaving any the repository
    /// already has: the app's own version of a shipped file wins.
    public func supply(_ files: [(source: URL, path: String)]) throws(SandboxError) {
        let fm = FileManager.default
        for file in files {
            let target = repository.appendingPathComponent(file.path)
            guard !fm.fileExists(atPath: target.path) else { continue }
            do {
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.copyItem(at: file.source, to: target)
            } catch {
                throw .workspaceFailed("adding the task's file \(file.path): \(error.localizedDescription)")
            }
        }
    }

    /// A fresh, empty directory inside the workspace.
    public func makeDirectory(_ name: String) throws(SandboxError) -> URL {
        let url = root.appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw .workspaceFailed(error.localizedDescription)
        }
        return url
    }

    /// Folders of installed dependencies: shared read-only by every case instead of copied.
    public static let sharedDependencies = ["node_modules", ".appjudge-venv"]

    /// A fresh copy of the built repository for one case, so that what one case's app writes
    /// (a database file, say) is not there for the next. Dependencies are not copied: the
    /// returned list names those to mount read-only over the empty folders left for them.
    public func instance(named name: String) throws(SandboxError) -> (app: URL, status: URL, shared: [(host: URL, inside: String)]) {
        let fm = FileManager.default
        let dir = root.appendingPathComponent("cases").appendingPathComponent(name)
        let app = dir.appendingPathComponent("app"), status = dir.appendingPathComponent("status")
        var shared: [(host: URL, inside: String)] = []
        do {
            try? fm.removeItem(at: dir)
            try fm.createDirectory(at: app, withIntermediateDirectories: true)
            try fm.createDirectory(at: status, withIntermediateDirectories: true)
            for item in try fm.contentsOfDirectory(atPath: repository.path) {
                let source = repository.appendingPathComponent(item)
                if Self.sharedDependencies.contains(item) {
                    try fm.createDirectory(at: app.appendingPathComponent(item), withIntermediateDirectories: true)
                    shared.append((source, item))
                } else {
                    try fm.copyItem(at: source, to: app.appendingPathComponent(item))
                }
            }
        } catch {
            throw .workspaceFailed("copying the built app for case \(name): \(error.localizedDescription)")
        }
        return (app, status, shared)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    deinit { remove() }
}

/// Finding what a static web app serves.
public enum StaticSite {
    /// Folders searched for index.html, built output first (a root index.html next to dist/ is
    /// usually the unbuilt source page).
    public static let candidates = ["dist", "build", "", "public"]

    /// The folder to serve, relative to the repository ("" for its root): the first candidate
    /// holding an index.html.
    public static func locate(in repository: URL) throws(SandboxError) -> String {
        for folder in candidates {
            let dir = folder.isEmpty ? repository : repository.appendingPathComponent(folder)
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("index.html").path) { return folder }
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: repository.path, isDirectory: &isDir), isDir.boolValue else {
            throw .repositoryMissing(repository.path)
        }
        throw .nothingToServe(repository.path)
    }
}
