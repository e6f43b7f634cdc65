import Engine
import Scoring

/// The seeded draws the benchmark generators make (pages, Tk windows): the same seed gives the
/// same page on every machine.
struct BenchRandom {
    private var source: SplitMix64

    init(seed: UInt64) { source = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { source.next() }
    mutating func unit() -> Double { Double(next() >> 11) / 9_007_199_254_740_992.0 }
    mutating func int(_ a: Int, _ b: Int) -> Int { b <= a ? a : a + Int(next() % UInt64(b - a + 1)) }
    mutating func real(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }
    mutating func chance(_ p: Double) -> Bool { unit() < p }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(0, xs.count - 1)] }
    mutating func shuffle<T>(_ xs: [T]) -> [T] {
        var a = xs
        if a.count > 1 { for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, int(0, i)) } }
        return a
    }
}
