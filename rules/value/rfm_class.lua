-- RFM value class: the eight classic classes.
--   R = days since the last paid order, F = paid orders in the last year,
--   M = paid amount in the last year.
-- Each dimension is split high/low against the population mean, where the
-- population is every member who bought in the last year.
return tag "rfm_class" {
  title    = "RFM value class",
  category = "value/rfm",
  owner    = "crm-team",
  kind     = "enum",
  values   = {
    "important_value", "important_develop", "important_keep", "important_retain",
    "general_value", "general_develop", "general_keep", "general_retain",
  },
  refresh  = "daily at 02:00",

  features = {
    recency   = days_since("orders", { where = { paid = true } }),
    frequency = count("orders", { within = "365d", where = { paid = true } }),
    monetary  = sum("orders.amount", { within = "365d", where = { paid = true } }),
  },

  -- Only last year's buyers get a class, and only they make the means.
  population = function(m) return m.frequency > 0 end,

  -- pop.below / pop.above compare the member's value with a population
  -- statistic; asked this way (rather than m.recency < pop.mean "recency"),
  -- a refresh re-evaluates only the members near the means.
  evaluate = function(m, pop)
    local recent   = pop.below("recency", m.recency, "mean")    -- fewer days = more recent
    local frequent = pop.above("frequency", m.frequency, "mean")
    local big      = pop.above("monetary", m.monetary, "mean")

    local level = big and "important" or "general"
    if recent and frequent then return level .. "_value" end
    if recent then return level .. "_develop" end
    if frequent then return level .. "_keep" end
    return level .. "_retain"
  end,
}
