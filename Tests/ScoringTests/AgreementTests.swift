import Scoring
import Testing

@Suite struct AgreementTests {
    @Test func accuracyAndKappaOnAKnownTable() throws {
        // 20 pairs: both yes 9, both no 6, judge yes / human no 3, judge no / human yes 2.
        let pairs =
            Array(repeating: (true, true), count: 9) + Array(repeating: (false, false), count: 6)
            + Array(repeating: (true, false), count: 3) + Array(repeating: (false, true), count: 2)
        #expect(Agreement.accuracy(pairs) == 0.75)
        // chance = 0.6*0.55 + 0.4*0.45 = 0.51; kappa = (0.75-0.51)/(0.49)
        let kappa = try #require(Agreement.cohenKappa(pairs))
        #expect(abs(kappa - 0.24 / 0.49) < 1e-9)
        #expect(Agreement.cohenKappa([(true, true), (true, true)]) == 1)
        #expect(Agreement.cohenKappa([(true, false), (false, true)]) == -1)
        #expect(Agreement.accuracy([]) == nil)
    }

    @Test func correlations() throws {
        #expect(abs(try #require(Agreement.pearson([1, 2, 3, 4], [2, 4, 6, 8])) - 1) < 1e-12)
        #expect(abs(try #require(Agreement.pearson([1, 2, 3], [3, 2, 1])) + 1) < 1e-12)
        // Monotone but not linear: Spearman 1, Pearson below 1.
        let x = [1.0, 2, 3, 4, 5], y = [1.0, 4, 9, 16, 100]
        #expect(try #require(Agreement.spearman(x, y)) == 1)
        #expect(try #require(Agreement.pearson(x, y)) < 0.95)
        // Ties share their average rank: ranks of [1, 2, 2, 3] are [1, 2.5, 2.5, 4].
        let r = try #require(Agreement.spearman([1, 2, 2, 3], [1, 2, 3, 4]))
        #expect(abs(r - 0.9486832980505138) < 1e-12)
        #expect(Agreement.pearson([1, 1, 1], [1, 2, 3]) == nil)
        #expect(Agreement.pearson([1], [1]) == nil)
    }
}

@Suite struct CalibrationFiguresTests {
    func pairs(_ counts: (Int, Int, Int, Int)) -> [(judge: Bool, label: Bool)] {
        Array(repeating: (true, true), count: counts.0) + Array(repeating: (true, false), count: counts.1)
            + Array(repeating: (false, true), count: counts.2) + Array(repeating: (false, false), count: counts.3)
    }

    @Test func figuresIntervalsAndTheConfusionTable() throws {
        let byTask = ["a": pairs((5, 1, 0, 4)), "b": pairs((2, 0, 3, 5)), "c": pairs((8, 1, 1, 0)), "d": pairs((0, 0, 2, 8)), "e": pairs((4, 2, 1, 3))]
        let f = CalibrationFigures(pairs: byTask)
        #expect(f.cases == 50 && f.tasks == 5)
        #expect(f.confusion == Confusion(byTask.values.flatMap { $0 }))
        #expect(f.confusion.bothPass == 19 && f.confusion.judgePassLabelFail == 4 && f.confusion.judgeFailLabelPass == 7 && f.confusion.bothFail == 20)
        #expect(f.accuracy.value == 39.0 / 50)
        for e in [f.accuracy, f.kappa, f.pearson, f.spearman] {
            let (value, low, high) = (try #require(e.value), try #require(e.low), try #require(e.high))
            #expect(low <= value && value <= high)
        }
        // Seeded: the same input gives the same intervals; another seed, other ones.
        let again = CalibrationFigures(pairs: byTask)
        #expect(again.accuracy == f.accuracy && again.pearson == f.pearson)
        #expect(CalibrationFigures(pairs: byTask, seed: 7).kappa != f.kappa)
    }

    @Test func oneTaskHasNoInterval() {
        let f = CalibrationFigures(pairs: ["only": pairs((3, 1, 1, 3))])
        #expect(f.accuracy.value == 0.75 && f.accuracy.low == nil)
        #expect(f.pearson.value == nil)
    }
}
