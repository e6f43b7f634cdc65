import Foundation
import Processes
import TestSupport
import Testing

/// The Kubernetes, GitHub Actions and GitLab CI files of deploy/: each passes its real validator
/// offline (kubernetes-validate with Kubernetes' schemas, check-jsonschema with the GitHub
/// workflow and GitLab CI schemas it bundles), a broken copy of each fails it, and the shell
/// their jobs run, executed with stand-ins for appjudge and podman, gives every shard index its
/// `--shard K/N` and run folder, and the merge every shard's folder.
@Suite("Deploy files", .serialized, .timeLimit(.minutes(5)))
struct DeployFilesTests {
    // MARK: Kubernetes

    static let manifests = ["kubernetes/pvc.yaml", "kubernetes/shards-job.yaml", "kubernetes/merge-job.yaml"]

    @Test func kubernetesManifestsPassKubernetesValidate() throws {
        let validate = try Deploy.tool("kubernetes-validate")
        let checked = try Deploy.run(validate, ["--strict"] + Self.manifests.map { Deploy.file($0).path })
        #expect(checked.status == 0, "\(checked.output)")
        for resource in ["persistentvolumeclaim/appjudge-data", "job/appjudge-shards", "job/appjudge-merge"] {
            #expect(checked.output.contains("passed for resource \(resource)"), "\(checked.output)")
        }

        // The validator does check: a misspelt field and a wrong type are refused.
        let scratch = Scratch.directory("deploy-k8s")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let text = try String(contentsOf: Deploy.file("kubernetes/shards-job.yaml"), encoding: .utf8)
        for (from, to) in [("completionMode: Indexed", "completionMod: Indexed"), ("completions: 4", "completions: four")] {
            #expect(text.contains(from))
            let broken = scratch.appendingPathComponent("broken.yaml")
            try text.replacingOccurrences(of: from, with: to).write(to: broken, atomically: true, encoding: .utf8)
            let refused = try Deploy.run(validate, ["--strict", broken.path])
            #expect(refused.status != 0, "kubernetes-validate accepted \(to): \(refused.output)")
        }
    }

    @Test func theIndexedJobGivesEveryShardItsFolderAndTheMergeJoinsThemAll() throws {
        let shards = try Deploy.yaml(Deploy.file("kubernetes/shards-job.yaml"))
        let merge = try Deploy.yaml(Deploy.file("kubernetes/merge-job.yaml"))
        let pvc = try Deploy.yaml(Deploy.file("kubernetes/pvc.yaml"))

        #expect(dig(shards, "spec", "completionMode") as? String == "Indexed")
        let completions = try #require(dig(shards, "spec", "completions") as? Int)
        #expect(dig(shards, "spec", "parallelism") as? Int == completions)
        let container = try #require(dig(shards, "spec", "template", "spec", "containers", 0))
        let env = Self.environment(container)
        #expect(env["SHARDS"] == "\(completions)", "SHARDS must equal completions")
        let mergeContainer = try #require(dig(merge, "spec", "template", "spec", "containers", 0))
        let mergeEnv = Self.environment(mergeContainer)
        #expect(mergeEnv["SHARDS"] == env["SHARDS"] && mergeEnv["RUN"] == env["RUN"], "the merge job waits for the shards' run")

        // One shared ReadWriteMany volume behind both jobs.
        #expect((dig(pvc, "spec", "accessModes") as? [String]) == ["ReadWriteMany"])
        let claim = dig(pvc, "metadata", "name") as? String
        for job in [shards, merge] {
            let volumes = dig(job, "spec", "template", "spec", "volumes") as? [[String: Any]] ?? []
            #expect(volumes.contains { dig($0, "persistentVolumeClaim", "claimName") as? String == claim })
        }

        // The least privilege of deploy/README.md, and requests sized per --jobs worker.
        let pod = try #require(dig(shards, "spec", "template", "spec"))
        #expect(dig(pod, "hostUsers") as? Bool == false)
        #expect(dig(pod, "securityContext", "runAsNonRoot") as? Bool == true)
        #expect(dig(pod, "securityContext", "seccompProfile", "type") as? String == "Localhost")
        #expect(dig(container, "securityContext", "procMount") as? String == "Unmasked")
        #expect(dig(container, "securityContext", "allowPrivilegeEscalation") as? Bool == false)
        #expect((dig(container, "securityContext", "capabilities", "drop") as? [String]) == ["ALL"])
        #expect(dig(container, "securityContext", "privileged") == nil)
        let script = try #require((dig(container, "args") as? [String])?.first)
        let jobsMatch = try #require(script.firstMatch(of: /--jobs (\d+)/))
        let jobs = try #require(Int(jobsMatch.1))
        #expect(dig(container, "resources", "requests", "cpu") as? String == "\(jobs)")
        #expect(dig(container, "resources", "requests", "memory") as? String == "\(jobs)Gi")

        // The shell of every index, with stand-ins for appjudge and mkdir: shard i+1 of N into shard-i.
        let fakes = try Self.fakes(["appjudge": "echo appjudge \"$@\"", "mkdir": ":", "ls": "i=0; while [ $i -lt ${FAKE_LS:-0} ]; do echo x; i=$((i+1)); done"])
        defer { try? FileManager.default.removeItem(at: fakes) }
        var seen: [String] = []
        for index in 0..<completions {
            let out = try Self.shell(script, env.merging(["JOB_COMPLETION_INDEX": "\(index)"]) { $1 }, fakes: fakes)
            #expect(out.status == 0, "\(out.output)")
            #expect(out.output.hasPrefix("appjudge suite --tasks /opt/appjudge/tasks --repos /repos/generated"), "\(out.output)")
            #expect(out.output.contains("--out /runs/\(env["RUN"] ?? "")/shard-\(index)"), "\(out.output)")
            if let shard = out.output.firstMatch(of: /--shard (\d+\/\d+)/) { seen.append(String(shard.1)) }
        }
        #expect(seen == (1...completions).map { "\($0)/\(completions)" })

        let mergeScript = try #require((dig(mergeContainer, "args") as? [String])?.first)
        let merged = try Self.shell(mergeScript, mergeEnv.merging(["FAKE_LS": "\(completions)"]) { $1 }, fakes: fakes)
        #expect(merged.status == 0, "\(merged.output)")
        let run = mergeEnv["RUN"] ?? ""
        #expect(merged.output.hasSuffix("appjudge merge --out /runs/\(run)/merged /runs/\(run)/shard-*\n"), "\(merged.output)")
    }

    // MARK: GitHub Actions

    @Test func theGitHubWorkflowPassesItsSchemaAndShardsAsTheSuiteExpects() throws {
        let check = try Deploy.tool("check-jsonschema")
        let file = Deploy.file("github/appjudge.yml")
        let checked = try Deploy.run(check, ["--builtin-schema", "vendor.github-workflows", file.path])
        #expect(checked.status == 0 && checked.output.contains("ok -- validation done"), "\(checked.output)")
        let scratch = Scratch.directory("deploy-gh")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let broken = scratch.appendingPathComponent("broken.yml")
        try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "runs-on:", with: "runs_on:").write(to: broken, atomically: true, encoding: .utf8)
        let refused = try Deploy.run(check, ["--builtin-schema", "vendor.github-workflows", broken.path])
        #expect(refused.status != 0, "check-jsonschema accepted a job without runs-on: \(refused.output)")

        let workflow = try Deploy.yaml(file)
        let count = try #require(dig(workflow, "env", "SHARDS") as? Int)
        #expect((dig(workflow, "jobs", "shard", "strategy", "matrix", "shard") as? [Int]) == Array(1...count))
        #expect(dig(workflow, "jobs", "shard", "strategy", "fail-fast") as? Bool == false)
        #expect(dig(workflow, "jobs", "merge", "needs") as? String == "shard")
        #expect(dig(workflow, "jobs", "merge", "if") as? String == "always()")
        let shardSteps = dig(workflow, "jobs", "shard", "steps") as? [[String: Any]] ?? []
        let mergeSteps = dig(workflow, "jobs", "merge", "steps") as? [[String: Any]] ?? []
        let uses = (shardSteps + mergeSteps).compactMap { $0["uses"] as? String }
        for action in ["actions/upload-artifact@", "actions/download-artifact@", "mikepenz/action-junit-report@", "actions/github-script@"] {
            #expect(uses.contains { $0.hasPrefix(action) }, "\(action)")
        }
        #expect(mergeSteps.contains { dig($0, "with", "report_paths") as? String == "runs/merged/junit.xml" })
        #expect(mergeSteps.contains { (dig($0, "with", "script") as? String)?.contains("runs/merged/summary.md") == true })
        #expect(mergeSteps.contains { ($0["run"] as? String)?.contains("runs/merged/summary.md >> \"$GITHUB_STEP_SUMMARY\"") == true })

        // The shard step's shell, with stand-ins for sudo and podman: the security flags of
        // deploy/container/run.sh (with the profile taken from the image), its shard, its folder.
        let fakes = try Self.fakes(["sudo": "exec \"$@\"", "podman": "echo podman \"$@\""])
        defer { try? FileManager.default.removeItem(at: fakes) }
        let evaluate = try #require(shardSteps.first { ($0["name"] as? String)?.hasPrefix("Evaluate") == true }?["run"] as? String)
        let image = try #require(dig(workflow, "env", "APPJUDGE_IMAGE") as? String)
        let security = try Deploy.run(Deploy.file("container/run.sh").path, ["--print-security-flags"])
        let flags = security.output.split(separator: "\n").map(String.init)
        for k in 1...count {
            let step = Self.expand(evaluate, ["matrix.shard": "\(k)"])
            let out = try Self.shell(step, ["SHARDS": "\(count)", "RUNNER_TEMP": "/runner-temp", "APPJUDGE_IMAGE": image], fakes: fakes, in: scratch)
            #expect(out.status == 0, "\(out.output)")
            #expect(out.output.contains("--shard \(k)/\(count) --out /runs/shard-\(k)"), "\(out.output)")
            #expect(out.output.contains(":/runs \(image) suite --tasks /opt/appjudge/tasks"), "\(out.output)")
            for (flag, value) in zip(flags, flags.dropFirst()) where flag.hasPrefix("--") {
                let expected = value.hasPrefix("seccomp=") ? "seccomp=/runner-temp/seccomp.json" : value
                #expect(out.output.contains("\(flag) \(expected)"), "the workflow lacks \(flag) \(expected)")
            }
        }
        let mergeRun = try #require(mergeSteps.first { ($0["name"] as? String) == "Merge the shards" }?["run"] as? String)
        for k in 1...count {
            try FileManager.default.createDirectory(at: scratch.appendingPathComponent("runs/appjudge-shard-\(k)"), withIntermediateDirectories: true)
        }
        let merged = try Self.shell(Self.expand(mergeRun, [:]), ["APPJUDGE_IMAGE": image], fakes: fakes, in: scratch)
        #expect(merged.status == 0, "\(merged.output)")
        let shardFolders = (1...count).map { "/runs/appjudge-shard-\($0)" }.joined(separator: " ")
        #expect(merged.output.contains("merge --out /runs/merged \(shardFolders)"), "\(merged.output)")
    }

    // MARK: GitLab CI

    @Test func theGitLabPipelinePassesItsSchemaAndShardsAsTheSuiteExpects() throws {
        let check = try Deploy.tool("check-jsonschema")
        let file = Deploy.file("gitlab/.gitlab-ci.yml")
        let checked = try Deploy.run(check, ["--builtin-schema", "vendor.gitlab-ci", file.path])
        #expect(checked.status == 0 && checked.output.contains("ok -- validation done"), "\(checked.output)")
        let scratch = Scratch.directory("deploy-gitlab")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let broken = scratch.appendingPathComponent(".gitlab-ci.yml")
        try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "parallel: 4", with: "parallel: 400").write(to: broken, atomically: true, encoding: .utf8)
        let refused = try Deploy.run(check, ["--builtin-schema", "vendor.gitlab-ci", broken.path])
        #expect(refused.status != 0, "check-jsonschema accepted parallel: 400 (GitLab allows 2-200): \(refused.output)")

        let pipeline = try Deploy.yaml(file)
        let count = try #require(dig(pipeline, "evaluate", "parallel") as? Int)
        #expect((dig(pipeline, "evaluate", "artifacts", "paths") as? [String]) == ["runs/shard-$CI_NODE_INDEX/"])
        #expect(dig(pipeline, "evaluate", "artifacts", "when") as? String == "always")
        #expect(dig(pipeline, "merge", "needs", 0, "job") as? String == "evaluate")
        #expect(dig(pipeline, "merge", "when") as? String == "always")
        #expect(dig(pipeline, "merge", "artifacts", "reports", "junit") as? String == "runs/merged/junit.xml")

        let fakes = try Self.fakes(["appjudge": "echo appjudge \"$@\""])
        defer { try? FileManager.default.removeItem(at: fakes) }
        let evaluate = (dig(pipeline, "evaluate", "script") as? [String] ?? []).joined(separator: "\n")
        for k in 1...count {
            let out = try Self.shell(evaluate, ["CI_NODE_INDEX": "\(k)", "CI_NODE_TOTAL": "\(count)"], fakes: fakes, in: scratch)
            #expect(out.status == 0, "\(out.output)")
            #expect(out.output.contains("--shard \(k)/\(count) --out runs/shard-\(k)"), "\(out.output)")
        }
        for k in 1...count {
            try FileManager.default.createDirectory(at: scratch.appendingPathComponent("runs/shard-\(k)"), withIntermediateDirectories: true)
        }
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("runs/merged"), withIntermediateDirectories: true)
        try "| summary |\n".write(to: scratch.appendingPathComponent("runs/merged/summary.md"), atomically: true, encoding: .utf8)
        let merge = (dig(pipeline, "merge", "script") as? [String] ?? []).joined(separator: "\n")
        let merged = try Self.shell(merge, [:], fakes: fakes, in: scratch)
        #expect(merged.status == 0, "\(merged.output)")
        #expect(merged.output.contains("appjudge merge --out runs/merged " + (1...count).map { "runs/shard-\($0)" }.joined(separator: " ")), "\(merged.output)")
    }

    // MARK: The seccomp profile

    /// deploy/container/seccomp.json allows the three namespace calls outright, denies what it
    /// does not list, and is otherwise the engines' default (make-seccomp.py).
    @Test func theSeccompProfileAddsOnlyTheNamespaceCalls() throws {
        let data = try Data(contentsOf: Deploy.file("container/seccomp.json"))
        let profile = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(profile["defaultAction"] as? String == "SCMP_ACT_ERRNO")
        let rules = profile["syscalls"] as? [[String: Any]] ?? []
        func plainAllow(_ rule: [String: Any]) -> Bool {
            rule["action"] as? String == "SCMP_ACT_ALLOW" && (rule["args"] as? [Any] ?? []).isEmpty
                && (rule["includes"] as? [String: Any] ?? [:]).isEmpty && (rule["excludes"] as? [String: Any] ?? [:]).isEmpty
        }
        let allowed = Set(rules.filter(plainAllow).flatMap { $0["names"] as? [String] ?? [] })
        let refused = Set(rules.filter { $0["action"] as? String != "SCMP_ACT_ALLOW" }.flatMap { $0["names"] as? [String] ?? [] })
        for call in ["sethostname", "setdomainname", "setns", "unshare", "mount", "clone", "pivot_root"] {
            #expect(allowed.contains(call), "\(call)")
            #expect(!refused.contains(call), "\(call)")
        }
        for call in ["kexec_load", "init_module", "bpf", "open_by_handle_at"] {
            #expect(!allowed.contains(call), "\(call) must stay denied")
        }
        // Made again from this machine's default profile, it allows and refuses the same calls
        // (if this fails after a podman update, run make-seccomp.py and commit its output).
        let source = "/usr/share/containers/seccomp.json"
        try #require(FileManager.default.fileExists(atPath: source), "\(source) is missing: `make deps` installs podman")
        let made = try Deploy.run("/usr/bin/env", ["python3", Deploy.file("container/make-seccomp.py").path, source])
        #expect(made.status == 0, "\(made.output)")
        let again = try #require(try JSONSerialization.jsonObject(with: Data(made.output.utf8)) as? [String: Any])
        let againRules = again["syscalls"] as? [[String: Any]] ?? []
        #expect(Set(againRules.filter(plainAllow).flatMap { $0["names"] as? [String] ?? [] }) == allowed)
        #expect(Set(againRules.filter { $0["action"] as? String != "SCMP_ACT_ALLOW" }.flatMap { $0["names"] as? [String] ?? [] }) == refused)
    }

    // MARK: Helpers

    static func environment(_ container: Any) -> [String: String] {
        var env: [String: String] = [:]
        for variable in dig(container, "env") as? [[String: Any]] ?? [] {
            if let name = variable["name"] as? String, let value = variable["value"] as? String { env[name] = value }
        }
        return env
    }

    /// A folder of stand-in commands (shell bodies), put first on the PATH of `shell`.
    static func fakes(_ commands: [String: String]) throws -> URL {
        let dir = Scratch.directory("deploy-fakes")
        for (name, body) in commands {
            let file = dir.appendingPathComponent(name)
            try "#!/bin/sh\n\(body)\n".write(to: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        }
        return dir
    }

    /// Runs a job's shell script with /bin/sh -e, the stand-ins first on PATH, and `env`.
    static func shell(_ script: String, _ env: [String: String], fakes: URL, in folder: URL? = nil) throws -> Deploy.Ran {
        var environment = env
        environment["PATH"] = "\(fakes.path):/usr/bin:/bin"
        let done = try Command("/bin/sh", ["-ec", script], environment: environment, workingDirectory: folder?.path ?? fakes.path).run(timeout: 30)
        guard case .exited(let code) = done.status else { return Deploy.Ran(status: 128, output: done.output) }
        return Deploy.Ran(status: code, output: done.output)
    }

    /// Replaces GitHub's `${{ expression }}` with `values[expression]`, or a stand-in word.
    static func expand(_ text: String, _ values: [String: String]) -> String {
        text.replacing(/\$\{\{\s*([^}]*?)\s*\}\}/) { match in values[String(match.1)] ?? "stand-in" }
    }
}
