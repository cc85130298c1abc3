import Foundation

/// The BG/NBD log-likelihood of a cohort and its gradient (equation 6 of
/// the paper, in the log-gamma form):
///
///     ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x)
///          + ln( (α+T)^−(r+x) + [x > 0] a/(b+x−1) (α+t_x)^−(r+x) )
///
/// The first line depends on `x` alone and is summed once per distinct `x`;
/// `ln(α + d)` is tabulated once per evaluation for every day `d`.
public enum BGNBDLikelihood {
    /// The total log-likelihood of `cohort` under `parameters` (whose unit must be the cohort's).
    public static func logLikelihood(_ parameters: BGNBDParameters, _ cohort: CustomerCohort) -> Double {
        evaluate(parameters, cohort, gradient: false).value
    }

    /// The log-likelihood and its gradient with respect to (ln r, ln α, ln a, ln b).
    static func evaluate(_ p: BGNBDParameters, _ cohort: CustomerCohort, gradient: Bool) -> (value: Double, gradient: [Double]) {
        let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b)
        let unit = cohort.unitDays
        var value = 0.0
        var dr = 0.0, dalpha = 0.0, da = 0.0, db = 0.0
        // Terms in x alone, with ψ(r+x) − ψ(r) = Σ_{k<x} 1/(r+k) (and the same for b, a+b).
        let constant = _lgamma(a + b) - _lgamma(r) - _lgamma(b) + r * _log(alpha)
        var psiR = 0.0, psiB = 0.0, psiAB = 0.0
        for x in 0...cohort.maxRepeats {
            if x > 0 {
                let k = Double(x - 1)
                psiR += 1 / (r + k)
                psiB += 1 / (b + k)
                psiAB += 1 / (a + b + k)
            }
            let n = cohort.byRepeats[x]
            guard n > 0 else { continue }
            let xd = Double(x)
            value += n * (constant + _lgamma(r + xd) + _lgamma(b + xd) - _lgamma(a + b + xd))
            if gradient {
                dr += n * (psiR + _log(alpha))
                dalpha += n * r / alpha
                da += n * -psiAB
                db += n * (psiB - psiAB)
            }
        }
        // Day tables: ln(α + d/unit) and 1/(α + d/unit).
        var logs = [Double](repeating: 0, count: cohort.maxDay + 1)
        var inverses = [Double](repeating: 0, count: cohort.maxDay + 1)
        for d in 0...cohort.maxDay {
            let s = alpha + Double(d) / unit
            logs[d] = _log(s)
            inverses[d] = 1 / s
        }
        for (day, n) in cohort.oneTime {
            value -= n * r * logs[day]
            if gradient {
                dr -= n * logs[day]
                dalpha -= n * r * inverses[day]
            }
        }
        let logA = _log(a)
        var lastX: Int32 = -1
        var logB = 0.0, invB = 0.0
        var sum = 0.0, sr = 0.0, salpha = 0.0, sa = 0.0, sb = 0.0
        cohort.repeatX.withUnsafeBufferPointer { xs in
            cohort.repeatLast.withUnsafeBufferPointer { lasts in
                cohort.repeatObserved.withUnsafeBufferPointer { observed in
                    cohort.repeatCount.withUnsafeBufferPointer { counts in
                        logs.withUnsafeBufferPointer { logs in
                            inverses.withUnsafeBufferPointer { inverses in
                                for i in 0..<xs.count {
                                    if xs[i] != lastX {
                                        lastX = xs[i]
                                        logB = _log(b + Double(lastX) - 1)
                                        invB = 1 / (b + Double(lastX) - 1)
                                    }
                                    let n = counts[i]
                                    let rx = r + Double(xs[i])
                                    let t = Int(observed[i]), l = Int(lasts[i])
                                    let l3 = -rx * logs[t]
                                    let l4 = logA - logB - rx * logs[l]
                                    // ln(e^l3 + e^l4) and w, the share of the "dropped out after t_x" branch, from one exp.
                                    let d = l3 - l4
                                    let e = _exp(-abs(d))
                                    sum += n * (max(l3, l4) + log1p(e))
                                    guard gradient else { continue }
                                    let w = d <= 0 ? 1 / (1 + e) : e / (1 + e)
                                    sr -= n * ((1 - w) * logs[t] + w * logs[l])
                                    salpha -= n * rx * ((1 - w) * inverses[t] + w * inverses[l])
                                    sa += n * w
                                    sb -= n * w * invB
                                }
                            }
                        }
                    }
                }
            }
        }
        value += sum
        dr += sr
        dalpha += salpha
        da += sa / a
        db += sb
        return (value, gradient ? [dr * r, dalpha * alpha, da * a, db * b] : [])
    }
}
