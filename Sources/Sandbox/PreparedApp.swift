import Foundation
import Processes
import Suite

/// A repository copied, installed and built once for an evaluation, ready to be started once
/// per case.
public final class PreparedApp: @unchecked Sendable {
    public let workspace: Workspace
    public let plan: LaunchPlan
    /// The command that starts the app, after the build.
    public let start: String
    public let etc: URL
    public let support: URL
    public let limits: ResourceLimits
    public let build: BuildInfo

    /// Why the app could not be prepared: the evaluation ends as `build_failed`.
    public struct Failure: Error {
        public var reason: String
        public var logTail: String?
        public var build: BuildInfo?
    }

    private init(workspace: Workspace, plan: LaunchPlan, start: String, etc: URL, support: URL, limits: ResourceLimits, build: BuildInfo) {
        self.workspace = workspace
        self.plan = plan
        self.start = start
        self.etc = etc
        self.support = support
        self.limits = limits
        self.build = build
    }

    /// Plans, copies, installs and builds. App failures come back as `Failure`; AppJudge's own
    /// (a missing tool, an unwritable disk) as `SandboxError`.
    public static func prepare(
        repository: URL, app: TaskSpec.AppHints, assets: [(source: URL, path: String)] = [], support: URL, limits: ResourceLimits,
        logs: URL, record: (_ event: String, _ fields: [String: any Sendable]) -> Void = { _, _ in }, offline: Bool = false
    ) throws(SandboxError) -> Result<PreparedApp, Failure> {
        let book = try RecipeBook(directory: support.appendingPathComponent("stacks"))
        let plan: LaunchPlan
        do {
            let manifest = try LaunchHints.manifest(in: repository)
            var hints = (manifest ?? LaunchHints()).over(app.launch)
            if offline { hints.skipInstall = true }
            plan = try LaunchPlan.resolve(repository: repository, kind: app.kind, hints: hints, entry: app.entry, book: book)
        } catch  where error.isAppFailure {
            return .failure(Failure(reason: error.description))
        }
        record(
            "plan",
            [
                "stack": plan.stack, "kind": plan.kind.rawValue, "install": plan.install ?? "", "build": plan.build ?? "",
                "start": plan.start ?? "(static)",
            ])
        let workspace = try Workspace(copying: repository)
        try workspace.supply(assets)
        let etc = try workspace.makeDirectory("etc")
        try Jail.writeEtc(to: etc)
        let enforced = ControlGroup.create(name: "probe-\(UUID().uuidString.prefix(8).lowercased())", limits: limits)?.enforced ?? []
        var jail = Jail(work: workspace.repository, support: support, etc: etc, limits: limits)
        jail.environment = Jail.baseEnvironment(port: nil)
        let runner = PhaseRunner(jail: jail)
        var phases: [BuildInfo.Phase] = []
        func info(start: String?) -> BuildInfo {
            BuildInfo(stack: plan.stack, kind: plan.kind.rawValue, start: start, phases: phases, enforcedLimits: enforced)
        }
        for (name, command, network, timeout) in [
            ("install", plan.install, plan.installNetwork, limits.installSeconds), ("build", plan.build, false, limits.buildSeconds),
        ] {
            guard let command else { continue }
            let log = logs.appendingPathComponent("\(name).log").path
            let result = try runner.run(phase: name, command: command, network: network, timeout: timeout, log: log)
            phases.append(
                BuildInfo.Phase(
                    name: name, command: command, status: result.status.description, seconds: result.seconds,
                    stopped: result.stopped, log: "logs/\(name).log"))
            record("phase", ["phase": name, "status": result.status.description, "seconds": result.seconds, "stopped": result.stopped ?? ""])
            if !result.succeeded {
                workspace.remove()
                // The registry probe says in one line why the install could not even begin.
                let unreachable = AppLog.tail(log, lines: 3).split(separator: "\n").last { $0.hasPrefix("AppJudge: the install cannot reach") }
                let reason = unreachable.map { String($0.dropFirst("AppJudge: ".count)).capitalizedFirst } ?? "The app's \(result.summary)."
                return .failure(Failure(reason: reason, logTail: AppLog.tail(log, lines: 12), build: info(start: nil)))
            }
        }
        let start: String
        do {
            start = try plan.startCommand(in: workspace.repository)
        } catch {
            workspace.remove()
            return .failure(Failure(reason: "After the build: \(error.description)", build: info(start: nil)))
        }
        return .success(
            PreparedApp(workspace: workspace, plan: plan, start: start, etc: etc, support: support, limits: limits, build: info(start: start)))
    }
}

extension String {
    /// The sentence with its first letter in upper case.
    public var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
