import Foundation
import Processes
import TestSupport
import Testing

/// AppJudge killed with SIGKILL cannot clean up after itself; the kernel must. Its sandboxes
/// and browser die with it (bubblewrap's --die-with-parent), and so must every other child.
@Suite("A killed AppJudge leaves nothing", .serialized, .timeLimit(.minutes(5)))
struct KilledRunTests {
    /// Killed while its X server starts: the run is stopped the moment the server appears, the
    /// server finishes starting (it reports its display into a pipe nobody reads yet), then the
    /// run is killed. The server never had a client, so its `-terminate` (exit when the last
    /// client leaves) never fires; only a parent-death signal takes it down. Under load, a
    /// run killed between a server's start and its first connection left exactly this.
    @Test(arguments: ["calculator", "todo-list"])
    func aRunKilledWhileItsDisplayStartsLeavesNoServer(task: String) throws {
        let out = Scratch.directory("killed-display")
        defer { try? FileManager.default.removeItem(at: out) }
        let env = CLI.environment()
        HostProcesses.adoptOrphans()  // a server left behind is then found below this process
        let run = try ChildProcess(
            Command(
                Repo.releaseBinary.path, ["run", "--task", "tasks/\(task)", "--repo", "tasks/\(task)/reference", "--workers", "1", "--out", out.path],
                environment: env, workingDirectory: Repo.root.path))
        var server: Int32?
        let deadline = Date().addingTimeInterval(120)
        while server == nil, Date() < deadline, run.poll() == nil {
            server = HostProcesses.below(run.pid).first { $0.command.contains("-displayfd") }?.pid
            if server == nil { usleep(1_000) }
        }
        let found = try #require(server, "no X server was started by the run")
        kill(run.pid, SIGSTOP)
        usleep(1_500_000)
        kill(run.pid, SIGKILL)
        #expect(run.wait(timeout: 10) == .signalled(SIGKILL))
        var alive = true
        for _ in 0..<50 where alive {
            usleep(100_000)
            alive = HostProcesses.below(getpid()).contains { $0.pid == found }
        }
        #expect(!alive, "the X server \(found) outlived the killed run")
        if alive { kill(found, SIGKILL) }
        expectNothingLeftBehind()
    }
}
