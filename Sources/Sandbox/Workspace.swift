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
