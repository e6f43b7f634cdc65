import Scoring
import Testing

@Suite struct ScoreTests {
    /// Weights count in both figures; undecided cases lower strict only.
    @Test func strictAndLenientWeighCases() {
        let s = Score([
            .init(passed: true, decided: true, weight: 2), .init(passed: false, decided: true, weight: 1),
            .init(passed: false, decided: false, weight: 1),
        ])
        #expect(s.strict == 0.5 && s.lenient == 2.0 / 3 && s.passed == 1 && s.decided == 2 && s.total == 3)
        #expect(Score([.init(passed: false, decided: false, weight: 1)]).lenient == nil)
        #expect(Score([]).strict == 0)
    }

    /// A suite's lenient mean counts an answerable pair with nothing decided as 0; a run's leaves
    /// out a task with nothing decided.
    @Test func suiteAndRunMeans() throws {
        let full = Score([.init(passed: true, decided: true, weight: 1)])
        let undecided = Score([.init(passed: false, decided: false, weight: 1)])
        let suite = Score.suite(all: [full, undecided, undecided], answerable: [full, undecided])
        #expect(suite.strict == 1.0 / 3 && suite.lenient == 0.5)
        let run = try #require(Score.run([full, undecided, nil]))
        #expect(run.strict == 0.5 && run.lenient == 1 && run.tasks == 2)
        #expect(Score.run([nil]) == nil)
    }
}
