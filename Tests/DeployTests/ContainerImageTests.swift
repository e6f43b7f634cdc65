import Foundation
import Processes
import TestSupport
import Testing

/// The container image, built here from Debian packages (deploy/image/build.sh: mmdebstrap,
/// podman) and run with the least privilege of deploy/container/run.sh, without network: one
/// shard of a suite (two tasks, their references as one generator's repositories, mounted
/// read-only; the run folder mounted) evaluated end to end inside it.
@Suite("Container image", .serialized, .timeLimit(.minutes(30)))
struct ContainerImageTests {
    static let image = "localhost/appjudge:latest"
    static var runScript: String { Deploy.file("container/run.sh").path }

    /// Builds the image (cached after the first time: a few seconds when nothing changed) and
    /// fails with the build's own words when it cannot.
    static func build() throws -> String {
        let started = Date()
        let built = try Deploy.run(Deploy.file("image/build.sh").path, [], timeout: 25 * 60)
        print("deploy/image/build.sh: exit \(built.status) in \(Int(Date().timeIntervalSince(started))) s\n\(built.output)")
        try #require(built.status == 0, "the image could not be built:\n\(built.output)")
        let last = try #require(built.output.split(separator: "\n").last.map(String.init))
        try #require(last.hasPrefix("image localhost/appjudge:"), "\(built.output)")
        let exists = try Deploy.run("podman", ["image", "exists", image])
        try #require(exists.status == 0, "\(image) is not in podman's store after the build")
        return last
    }

    /// A command run in the image through run.sh, under a name of its own; afterwards no
    /// container of that name is left.
    static func inImage(_ options: [String], _ arguments: [String], timeout: Double) throws -> Deploy.Ran {
        let name = "appjudge-deploytest-\(UUID().uuidString.prefix(8).lowercased())"
        defer { _ = try? Deploy.run("podman", ["rm", "-f", name]) }
        let done = try Deploy.run(runScript, ["--name", name] + options + [image] + arguments, timeout: timeout)
        let left = try Deploy.run("podman", ["ps", "-a", "-q", "--filter", "name=\(name)"])
        #expect(left.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "container \(name) was left behind")
        return done
    }

    @Test func oneShardRunsInTheImageWithoutNetworkOrCapabilities() throws {
        _ = try Self.build()

        let scratch = Scratch.directory("deploy-image")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let fm = FileManager.default
        let gen = scratch.appendingPathComponent("gen")
        try fm.createDirectory(at: gen, withIntermediateDirectories: true)
        for task in ["todo-list", "calculator"] {
            try fm.copyItem(at: Repo.root.appendingPathComponent("tasks/\(task)/reference"), to: gen.appendingPathComponent(task))
        }
        // The container runs as uid 1000: the output folder is that user's.
        let out = scratch.appendingPathComponent("out")
        try fm.createDirectory(at: out, withIntermediateDirectories: true)
        try fm.setAttributes([.ownerAccountID: 1000, .groupOwnerAccountID: 1000], ofItemAtPath: out.path)

        // Shard 1/2, then 2/2, each into its own run folder, then merged in the image.
        let shards = ["1/2", "2/2"]

        var evaluated: [String] = []
        for (index, shard) in shards.enumerated() {
            let started = Date()
            let run = try Self.inImage(
                ["-v", "\(gen.path):/repos/gen:ro", "-v", "\(out.path):/out"],
                ["suite", "--tasks", "/opt/appjudge/tasks", "--task-ids", "todo-list,calculator", "--repos", "/repos/gen", "--jobs", "2",
                 "--out", "/out/run-\(index)", "--fail-on", "fail,error", "--shard", shard],
                timeout: 15 * 60)
            print("shard \(shard) ran in the container in \(Int(Date().timeIntervalSince(started))) s, exit \(run.status)\n\(run.output)")
            #expect(run.status == 0, "\(run.output)")

            let folder = out.appendingPathComponent("run-\(index)")
            for file in ["run.json", "summary.json", "junit.xml", "summary.md", "summary.html"] {
                #expect(fm.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file) is missing")
            }
            let junit = (try? String(contentsOf: folder.appendingPathComponent("junit.xml"), encoding: .utf8)) ?? ""
            #expect(!junit.contains("<failure") && !junit.contains("<error"), "\(junit)")

            // Every pair of the run evaluated, every case passed (the references are correct).
            for task in ["todo-list", "calculator"] {
                let file = folder.appendingPathComponent("pairs/gen/\(task)/result.json")
                guard let data = fm.contents(atPath: file.path) else { continue }
                evaluated.append(task)
                let result = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                #expect(result["outcome"] as? String == "evaluated", "\(task): \(result["outcome"] ?? "")")
                let cases = result["cases"] as? [[String: Any]] ?? []
                #expect(cases.count >= 8, "\(task): \(cases.count) cases")
                for item in cases { #expect(item["verdict"] as? String == "pass", "\(task)/\(item["id"] ?? ""): \(item["verdict"] ?? "")") }
                #expect(junit.contains("<testcase"), "\(junit)")
            }
        }
        // Each pair evaluated exactly once over the shards, and the merge joins them.
        #expect(evaluated.sorted() == ["calculator", "todo-list"], "evaluated: \(evaluated)")
        let merged = try Self.inImage(["-v", "\(out.path):/out"], ["merge", "--out", "/out/merged", "/out/run-0", "/out/run-1"], timeout: 120)
        #expect(merged.status == 0 && merged.output.contains("merged 2 shard(s), 2 pair(s)"), "\(merged.output)")
        let summary = (try? String(contentsOf: out.appendingPathComponent("merged/junit.xml"), encoding: .utf8)) ?? ""
        #expect(summary.components(separatedBy: "<testcase").count - 1 >= 16, "\(summary)")
    }

    /// Each privilege run.sh grants is needed: bubblewrap's sandbox (a fresh /proc, a host name
    /// of its own) starts in the image with all of them, and fails without the unmasked /proc
    /// or without the seccomp profile.
    @Test func theSandboxNeedsTheUnmaskedProcAndTheSeccompProfile() throws {
        _ = try Self.build()
        let probe = [
            "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--uid", "1000", "--gid", "1000",
            "--hostname", "appjudge", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev", "--", "/bin/sh", "-c", "echo sandbox-$(cat /proc/sys/kernel/hostname)-$(id -u)",
        ]
        let host = try Deploy.run(Self.runScript, ["--print-host-flags"]).output.split(separator: "\n").map(String.init)
        let security = try Deploy.run(Self.runScript, ["--print-security-flags"]).output.split(separator: "\n").map(String.init)
        let global = Array(host.prefix { $0 != "run" })
        let runOptions = Array(host.drop { $0 != "run" }.dropFirst())
        func probeWith(_ flags: [String]) throws -> Deploy.Ran {
            try Deploy.run("podman", global + ["run", "--rm"] + runOptions + flags + ["--entrypoint", "/usr/bin/bwrap", Self.image] + probe, timeout: 120)
        }
        func without(_ option: String) -> [String] {
            var flags = security
            if let at = flags.firstIndex(where: { $0.hasPrefix(option) }), at > 0 { flags.removeSubrange((at - 1)...at) }
            return flags
        }

        let granted = try probeWith(security)
        #expect(granted.status == 0 && granted.output.contains("sandbox-appjudge-1000"), "\(granted.output)")
        let masked = try probeWith(without("unmask="))
        #expect(masked.status != 0 && masked.output.contains("Can't mount proc"), "\(masked.output)")
        let defaultSeccomp = try probeWith(without("seccomp="))
        #expect(defaultSeccomp.status != 0 && defaultSeccomp.output.contains("Can't set hostname"), "\(defaultSeccomp.output)")
    }
}
