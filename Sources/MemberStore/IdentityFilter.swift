/// A Bloom filter over identity hashes (``IngestWriter/identityHash(_:_:)``):
/// ``mayContain(_:)`` is `false` only for a hash never inserted.
///
/// Blocked: a hash sets three bits of one 64-bit word, so a query reads one
/// word (one cache miss, where a hash set of millions probes and grows), at
/// about 16 bits per expected hash: some 1 % false positives at capacity,
/// each costing the writer one look-up in the store, never a wrong answer.
struct IdentityFilter {
    private var words: [UInt64]
    /// Shifts a hash's top bits down to a word index.
    private let shift: UInt64
    /// Most words (128 MiB), for some 67 million hashes.
    private static let maxWords = 1 << 24

    /// An empty filter sized for `expected` hashes.
    init(expected: Int) {
        var count = 1 << 10
        while count * 64 < max(expected, 0) * 16, count < Self.maxWords { count <<= 1 }
        words = [UInt64](repeating: 0, count: count)
        shift = UInt64(64 - count.trailingZeroBitCount)
    }

    /// Adds a hash.
    mutating func insert(_ hash: UInt64) {
        let (word, bits) = slot(hash)
        words[word] |= bits
    }

    /// `false` when `hash` was certainly never inserted.
    func mayContain(_ hash: UInt64) -> Bool {
        let (word, bits) = slot(hash)
        return words[word] & bits == bits
    }

    private func slot(_ hash: UInt64) -> (word: Int, bits: UInt64) {
        let bits: UInt64 = 1 << (hash & 63) | 1 << ((hash >> 6) & 63) | 1 << ((hash >> 12) & 63)
        return (Int(truncatingIfNeeded: hash >> shift), bits)
    }
}
