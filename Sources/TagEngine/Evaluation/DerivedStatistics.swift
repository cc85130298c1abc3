/// The values of a rule's derived statistics (`stats = { name = function(pop) ... end }`)
/// for one population, in name order (NaN: the function returned nil).
///
/// A comparison names one like a built-in statistic
/// (`pop.at_most("pet_last", m.pet_last, "pet_cycle")`); it is encoded in
/// the question's parameter as `-2 - index`, after the mean (-1) and the
/// quantiles (0...1) of ``PopQuestion/statistic(_:)``.
struct DerivedStatistics: Sendable, Equatable {
    /// The statistics' names, sorted.
    var names: [String] = []
    /// Their values, in the order of ``names``.
    var values: [Double] = []

    /// The parameter that encodes statistic `name`, if the rule declares it.
    func parameter(of name: String) -> Double? {
        names.firstIndex(of: name).map { -2 - Double($0) }
    }

    /// The value a parameter encodes, `nil` when the statistic has none;
    /// only for parameters of ``parameter(of:)`` (at most -2).
    func value(of parameter: Double) -> Double? {
        let index = Int(-parameter) - 2
        guard values.indices.contains(index), !values[index].isNaN else { return nil }
        return values[index]
    }
}
