import Foundation
import Testing

@testable import CustomerBase

/// The BG/NBD math against closed forms, finite differences and simulated
/// cohorts with known parameters. (Real data: TagEngineTests/BGNBDCDNOWTests.)
@Suite struct BGNBDTests {
    static let paper = BGNBDParameters(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)

    @Test func hypergeometricMatchesClosedForms() throws {
        for z in [0.0, 0.1, 0.5, 0.9, 0.99] {
            // 2F1(1, 1; 2; z) = −ln(1 − z) / z; 2F1(a, b; b; z) = (1 − z)^−a.
            let log1 = z == 0 ? 1 : -log(1 - z) / z
            #expect(abs(try Hypergeometric.f21(1, 1, 2, z) - log1) < 1e-12 * log1)
            let power = pow(1 - z, -2.5)
            #expect(abs(try Hypergeometric.f21(2.5, 3.2, 3.2, z) - power) < 1e-11 * power)
        }
        #expect(throws: Hypergeometric.Failure.self) { try Hypergeometric.f21(1, 1, 2, 1) }
        #expect(throws: Hypergeometric.Failure.self) { try Hypergeometric.f21(1, 1, 0, 0.5) }
    }

    @Test func likelihoodMatchesTheFormulaForOneCustomer() throws {
        // x = 2, t_x = 20 weeks, T = 30 weeks, the paper's parameters, by hand:
        // L = B(a,b+x)/B(a,b) Γ(r+x)α^r/(Γ(r)(α+T)^(r+x)) + a/(b+x−1) B(a,b+x)/B(a,b) Γ(r+x)α^r/(Γ(r)(α+t_x)^(r+x)).
        let (r, alpha, a, b) = (0.243, 4.414, 0.793, 2.426)
        let x = 2.0, tx = 20.0, t = 30.0
        let logBeta = { (p: Double, q: Double) in lgamma(p) + lgamma(q) - lgamma(p + q) }
        let common = logBeta(a, b + x) - logBeta(a, b) + lgamma(r + x) + r * log(alpha) - lgamma(r)
        let expected = log(exp(common - (r + x) * log(alpha + t)) + a / (b + x - 1) * exp(common - (r + x) * log(alpha + tx)))
        let cohort = try CustomerCohort([PurchaseHistory(repeatPurchases: 2, lastPurchaseDay: 140, observedDays: 210)])
        #expect(abs(BGNBDLikelihood.logLikelihood(Self.paper, cohort) - expected) < 1e-12)
        // A one-time buyer: ln L = r ln α − r ln(α + T).
        let single = try CustomerCohort([PurchaseHistory(repeatPurchases: 0, lastPurchaseDay: 0, observedDays: 70)])
        #expect(abs(BGNBDLikelihood.logLikelihood(Self.paper, single) - (r * log(alpha) - r * log(alpha + 10))) < 1e-12)
    }

    @Test func gradientMatchesFiniteDifferences() throws {
        var simulator = BGNBDSimulator(Self.paper, seed: 7)
        let cohort = try CustomerCohort((0..<2_000).map { i in simulator.history(firstDay: i % 84, end: 273) })
        let point = BGNBDParameters(r: 0.3, alpha: 5, a: 0.7, b: 2)
        let analytic = BGNBDLikelihood.evaluate(point, cohort, gradient: true).gradient
        for i in 0..<4 {
            var up = point.logs, down = point.logs
            up[i] += 1e-6
            down[i] -= 1e-6
            let numeric = (BGNBDLikelihood.logLikelihood(BGNBDParameters(logs: up, unitDays: 7), cohort)
                - BGNBDLikelihood.logLikelihood(BGNBDParameters(logs: down, unitDays: 7), cohort)) / 2e-6
            #expect(abs(analytic[i] - numeric) < 1e-4 * max(1, abs(numeric)), "component \(i): \(analytic[i]) vs \(numeric)")
        }
    }

    @Test func fitRecoversSimulatedParameters() throws {
        let truth = BGNBDParameters(r: 0.8, alpha: 3, a: 1.5, b: 4)
        var simulator = BGNBDSimulator(truth, seed: 42)
        // Trials spread over 12 weeks, observed for a year and a half.
        let cohort = try CustomerCohort((0..<40_000).map { i in simulator.history(firstDay: i % 84, end: 546) })
        let fit = try BGNBDFit.fit(cohort)
        let p = fit.parameters
        #expect(abs(p.r - truth.r) / truth.r < 0.1, "\(p)")
        #expect(abs(p.alpha - truth.alpha) / truth.alpha < 0.1, "\(p)")
        #expect(abs(p.a - truth.a) / truth.a < 0.25, "\(p)")
        #expect(abs(p.b - truth.b) / truth.b < 0.25, "\(p)")
        // A true maximum: no small move of any parameter raises the likelihood.
        for i in 0..<4 {
            for delta in [-1e-3, 1e-3] {
                var logs = p.logs
                logs[i] += delta
                #expect(BGNBDLikelihood.logLikelihood(BGNBDParameters(logs: logs, unitDays: 7), cohort) < fit.logLikelihood)
            }
        }
    }

    @Test func predictionsAgreeWithTheirDefinitions() throws {
        let model = BGNBDModel(Self.paper)
        // No repeat purchase: alive for sure (dropout follows purchases only).
        let oneTime = PurchaseHistory(repeatPurchases: 0, lastPurchaseDay: 0, observedDays: 200)
        #expect(model.probabilityAlive(oneTime) == 1)
        // P(alive) by hand: 1 / (1 + a/(b+x−1) ((α+T)/(α+t_x))^(r+x)), x = 3, t_x = 10 w, T = 30 w.
        let h = PurchaseHistory(repeatPurchases: 3, lastPurchaseDay: 70, observedDays: 210)
        let byHand = 1 / (1 + 0.793 / (2.426 + 2) * pow((4.414 + 30) / (4.414 + 10), 3.243))
        #expect(abs(model.probabilityAlive(h) - byHand) < 1e-12)
        // A brand-new customer (x = 0, T = 0) is the unconditional model.
        let fresh = PurchaseHistory(repeatPurchases: 0, lastPurchaseDay: 0, observedDays: 0)
        for days in [7.0, 91, 273] {
            let conditional = try model.expectedPurchases(fresh, days: days)
            let unconditional = try model.expectedRepeatPurchases(days: days)
            #expect(abs(conditional - unconditional) < 1e-10 * unconditional)
        }
        // E[X(t)] grows with t; P(no purchase) is a probability that falls with t.
        #expect(try model.expectedRepeatPurchases(days: 78 * 7) > model.expectedRepeatPurchases(days: 39 * 7))
        let none30 = model.probabilityNoPurchase(h, days: 30)
        let none90 = model.probabilityNoPurchase(h, days: 90)
        #expect(none30 > none90 && none90 > 0 && none30 < 1)
        // A recent frequent buyer is less likely to stay silent than a one-time buyer of the same age.
        let frequent = PurchaseHistory(repeatPurchases: 8, lastPurchaseDay: 200, observedDays: 210)
        #expect(model.probabilityNoPurchase(frequent, days: 30) < model.probabilityNoPurchase(oneTime, days: 30))
    }

    @Test func badHistoriesAreRefused() {
        #expect(throws: CustomerCohort.Invalid.self) {
            try CustomerCohort([PurchaseHistory(repeatPurchases: 1, lastPurchaseDay: 10, observedDays: 5)])
        }
        #expect(throws: BGNBDFit.Failure.self) {
            try BGNBDFit.fit(try CustomerCohort((0..<10).map { _ in PurchaseHistory(repeatPurchases: 0, lastPurchaseDay: 0, observedDays: 9) }))
        }
    }
}
