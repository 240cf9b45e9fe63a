-- wrk script: POST /v1/ledgers/<LEDGER>/categorize with BATCH descriptions per request,
-- each made unique (a random word pair appended) so the embedding cache cannot answer.
-- Env: LEDGER, BATCH (default 100), UNIQUE (1 = unique strings, 0 = repeat the fixture).
local ledger = os.getenv("LEDGER")
local batch = tonumber(os.getenv("BATCH") or "100")
local unique = (os.getenv("UNIQUE") or "1") == "1"
local words = {"north", "south", "plaza", "market", "centre", "express", "deli", "corner",
               "station", "mall", "city", "park", "square", "harbour", "valley", "hill"}
local lines = {}
for line in io.lines(os.getenv("DESCRIPTIONS")) do lines[#lines + 1] = line end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.path = "/v1/ledgers/" .. ledger .. "/categorize"
local counter = 0
request = function()
  local items = {}
  for i = 1, batch do
    counter = counter + 1
    local text = lines[(counter % #lines) + 1]
    if unique then
      text = text .. " " .. words[math.random(#words)] .. words[math.random(#words)] .. " " .. words[math.random(#words)]
    end
    text = text:gsub('\\', '\\\\'):gsub('"', '\\"')
    items[i] = '{"description":"' .. text .. '","amount":-12.5}'
  end
  return wrk.format(nil, nil, nil, '{"items":[' .. table.concat(items, ",") .. ']}')
end
