import Foundation

// Thin wrappers so the model files read like the paper's formulas.
@inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) func _exp(_ x: Double) -> Double { Foundation.exp(x) }
@inline(__always) func _lgamma(_ x: Double) -> Double { Foundation.lgamma(x) }

/// log(e^u + e^v) without overflow.
@inline(__always) func logAddExp(_ u: Double, _ v: Double) -> Double {
    u > v ? u + Foundation.log1p(Foundation.exp(v - u)) : v + Foundation.log1p(Foundation.exp(u - v))
}
