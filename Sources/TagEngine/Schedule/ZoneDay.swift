import Foundation

/// How a time zone maps one local day's wall-clock times to instants.
///
/// Offsets are sampled two days either side of the day; when they differ, the
/// transition instant is found by bisection, so a wall time can be resolved to
/// zero (spring-forward gap), one, or two (fall-back overlap) instants without
/// relying on how `Calendar` disambiguates such times.
struct ZoneDay: Sendable, Hashable {
    /// The offsets in force during the day.
    enum Offsets: Sendable, Hashable {
        /// One UTC offset (seconds east of UTC) all day.
        case constant(Int)
        /// The offset changes from `before` to `after` at instant `at` (seconds since the epoch).
        case transition(at: Int, before: Int, after: Int)
    }

    /// The offsets in force.
    let offsets: Offsets

    /// Samples `zone` around `day`.
    init(_ day: CivilDay, in zone: TimeZone) {
        let low = day.wallStart - 2 * CivilDay.seconds
        let high = day.wallStart + 3 * CivilDay.seconds
        let before = Self.offset(at: low, in: zone)
        let after = Self.offset(at: high, in: zone)
        guard before != after else {
            offsets = .constant(before)
            return
        }
        // Invariant: offset(lo) == before, offset(hi) != before.
        var lo = low, hi = high
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if Self.offset(at: mid, in: zone) == before { lo = mid } else { hi = mid }
        }
        offsets = .transition(at: hi, before: before, after: Self.offset(at: hi, in: zone))
    }

    /// True when the whole day has one offset, so wall order is instant order.
    var isConstant: Bool {
        if case .constant = offsets { return true }
        return false
    }

    /// The instants (seconds since the epoch) at which the local clock reads
    /// `wall`: `(nil, nil)` inside a gap, `(earlier, later)` inside an overlap,
    /// otherwise `(instant, nil)`.
    func instants(forWall wall: Int) -> (first: Int?, second: Int?) {
        switch offsets {
        case .constant(let offset):
            return (wall - offset, nil)
        case .transition(let at, let before, let after):
            let early = wall - before < at ? wall - before : nil
            let late = wall - after >= at ? wall - after : nil
            return early == nil ? (late, nil) : (early, late)
        }
    }

    /// The smallest offset in force, bounding how late a wall time can occur.
    var minimumOffset: Int {
        switch offsets {
        case .constant(let offset): offset
        case .transition(_, let before, let after): min(before, after)
        }
    }

    /// The largest offset in force, bounding how early a wall time can occur.
    var maximumOffset: Int {
        switch offsets {
        case .constant(let offset): offset
        case .transition(_, let before, let after): max(before, after)
        }
    }

    /// Local wall-clock seconds of `instant` in `zone`.
    static func wall(of instant: Int, in zone: TimeZone) -> Int {
        instant + offset(at: instant, in: zone)
    }

    /// Seconds east of UTC in `zone` at `instant`.
    static func offset(at instant: Int, in zone: TimeZone) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
    }
}
