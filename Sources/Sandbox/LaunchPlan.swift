import Foundation
import Suite

extension LaunchHints {
    /// Reads `appjudge.json` at the root of `repository`; nil when there is none.
    public static func manifest(in repository: URL) throws(SandboxError) -> LaunchHints? {
        let url = repository.appendingPathComponent("appjudge.json")
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(LaunchHints.self, from: data)
        } catch let error as DecodingError {
            throw .badManifest(TaskLoader.describe(error, file: url.path, data: data).description)
        } catch {
            throw .badManifest("\(url.path): \(error.localizedDescription)")
        }
    }
}

/// What will be run for one repository: resolved from the recipes, then overridden by hints.
public struct LaunchPlan: Sendable, Equatable {
    /// The recipe used ("appjudge.json" / "task hints" when those gave the start command).
    public var stack: String
    public var kind: AppKind
    public var install: String?
    public var build: String?
    /// Nil for a static site located after the build (see `staticStart`).
    public var start: String?
    /// The start command that serves a static folder, `{static}` standing for the folder.
    public var staticStart: String?
    public var port: Int?
    /// The page the browser opens.
    public var entryPath: String
    /// The path that must answer before the app counts as ready.
    public var readyPath: String
    public var windowTitle: String?
    public var installNetwork: Bool

    /// Decides the plan. `hints` are the task's and the repository's merged; `entry` is the
    /// page a static site opens. Throws `.nothingToRun` when no recipe fits and no start
    /// command is given.
    public static func resolve(
        repository: URL, kind taskKind: AppKind, hints: LaunchHints, entry: String, book: RecipeBook
    ) throws(SandboxError) -> LaunchPlan {
        let kind = hints.kind ?? taskKind
        var match: String?
        let recipe = book.recipes.first { recipe in
            guard recipe.kind == kind else { return false }
            var found: String?
            guard recipe.detect.allSatisfy({ $0.holds(in: repository, match: &found) }) else { return false }
            match = found
            return true
        }
        func pick(_ alternatives: [StackRecipe.Alternative]) -> String? {
            for alternative in alternatives {
                var found: String?
                if alternative.when.allSatisfy({ $0.holds(in: repository, match: &found) }) {
                    found = found ?? match
                    let name = found.map { ($0 as NSString).deletingPathExtension.split(separator: "/").first.map(String.init) ?? $0 } ?? ""
                    return alternative.run.replacingOccurrences(of: "{match}", with: name)
                }
            }
            return nil
        }
        let staticRecipe = book.recipes.first { $0.name == "static" }
        var plan = LaunchPlan(
            stack: recipe?.name ?? "appjudge.json", kind: kind,
            install: hints.install ?? recipe.flatMap { pick($0.install) },
            build: hints.build ?? recipe.flatMap { pick($0.build) },
            start: hints.start ?? recipe.flatMap { pick($0.start) },
            staticStart: nil, port: hints.port, entryPath: "/", readyPath: hints.readyURL ?? "/", windowTitle: hints.windowTitle,
            installNetwork: hints.installNetwork ?? true)
        if hints.start != nil, recipe == nil { plan.stack = "hints" }
        if plan.start == nil, recipe?.staticFallback == true || recipe?.name == "static" {
            plan.staticStart = staticRecipe?.start.first?.run
        }
        if plan.start == nil {
            plan.entryPath = "/" + entry
            if hints.readyURL == nil { plan.readyPath = plan.entryPath }
        }
        guard plan.start != nil || plan.staticStart != nil else {
            throw .nothingToRun(repository.path, kind: kind)
        }
        if hints.skipInstall == true { plan = plan.withoutInstall(repository: repository, staticStart: staticRecipe?.start.first?.run) }
        return plan
    }

    /// The plan with no install (`--offline`, or `"install": false`), for machines without a
    /// registry: what the repository commits is used as it is. A web app that commits its
    /// built site (dist/ or build/) but not its dependencies is served from that site, since
    /// neither its build nor its start command could run without them.
    public func withoutInstall(repository: URL, staticStart: String?) -> LaunchPlan {
        var plan = self
        plan.install = nil
        let fm = FileManager.default
        let dependencies = ["node_modules", ".venv", "venv", ".appjudge-venv"].contains {
            fm.fileExists(atPath: repository.appendingPathComponent($0).path)
        }
        let built = ["dist", "build"].contains { fm.fileExists(atPath: repository.appendingPathComponent($0).appendingPathComponent("index.html").path) }
        if kind == .web, stack == "node", !dependencies, built, let staticStart {
            plan.build = nil
            plan.start = nil
            plan.staticStart = staticStart
            plan.stack = "node (committed build)"
        }
        return plan
    }

    /// The start command once the build is done: a static site's folder is found in the built
    /// work directory. Throws `.nothingToServe` when a static plan finds no index.html.
    public func startCommand(in work: URL) throws(SandboxError) -> String {
        let command = start ?? staticStart ?? ""
        guard command.contains("{static}") else { return command }
        let folder = try StaticSite.locate(in: work)
        return command.replacingOccurrences(of: "{static}", with: folder.isEmpty ? "." : folder)
    }
}
