-- rules/identity.lua: how tagd tells that two channel accounts are one person (ONE-ID).
-- Like a tag, an edit here is only a proposal: `tagd identity plan` shows what it
-- would merge, `tagd approve identity` makes it live for ingest, and
-- `tagd identity resolve` applies it to the members already stored.
return identity {
  owner = "crm-team",

  -- Channels that link accounts, highest priority first: a record naming
  -- several members is stored against the one its best key found.
  keys = { "wechat_unionid", "phone", "email", "taobao", "jd", "wechat_openid", "store_card" },

  -- How values are made comparable before they are stored and matched.
  -- Built-ins: "as_given" (the default), "trim", "lower", "email"
  -- (trimmed, lower-cased) and "phone +CC" (digits only; +CC put in front
  -- unless the number starts with + or 00).
  normalize = {
    phone = "phone +86",
    email = "email",
  },

  -- A member holds at most this many values of a channel: a second,
  -- different phone never merges two members by itself.
  limits = { phone = 1, wechat_unionid = 1, taobao = 1, jd = 1, wechat_openid = 1, store_card = 1 },

  -- Placeholders that many people type: never a reason to merge.
  -- Written as people type them; normalised like the values above.
  blocked = {
    phone = { "13800000000", "00000000000", "12345678901" },
    email = { "test@example.com", "none@none.com", "noreply@example.com" },
    ["*"] = { "null", "none", "unknown", "0" },
  },

  -- When a record links two members that each hold a different value of a
  -- limited channel: "candidate" holds the pair for a person
  -- (tagd identity candidates / merge / reject); "merge" merges anyway.
  on_conflict = "candidate",

  -- Who survives a merge: "earliest_registration" or "first_seen".
  survivor = "earliest_registration",

  -- Attributes: "survivor" (its values win, gaps filled from the other)
  -- or "newest" (the more recently updated member's values win).
  attributes = "survivor",

  -- At most this many merges into one member; further links become candidates.
  max_merges = 100,
}
