-- Churn risk: the probability that a customer places NO paid order in the
-- next 30 days, from the BG/NBD model (Fader, Hardie & Lee 2005) that the
-- host fits over every customer at each run (purchases counted once a day).
--
-- Not 1 - P(alive): the model calls a one-time buyer certainly alive (it
-- drops customers out only right after a purchase), so that would rank the
-- likeliest never to return as the safest. P(no order in 30 days) also
-- counts how rarely a customer who is still alive buys.
return tag "churn_risk" {
  title    = "Churn risk: probability of no order in the next 30 days",
  category = "value/churn",
  owner    = "crm-team",
  kind     = "score",
  refresh  = "daily at 04:00",

  features = {
    -- P(at least one paid order in the next 30 days); nil for non-buyers.
    buy_30d = p_purchase("orders", { horizon = "30d", where = { paid = true } }),
  },

  evaluate = function(m)
    if m.buy_30d == nil then return nil end
    return 1 - m.buy_30d
  end,
}
