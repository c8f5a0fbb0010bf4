-- wrk script: forged API calls, for measuring what a flood of requests that
-- fail authentication costs the gateway and its real merchants
-- (docs/security.md, "Holes found by a hostile tester").
--
--   DELAY_MS=10 wrk -t1 -c18 -d25s -s scripts/forged-flood.lua http://127.0.0.1:8080
--
-- Each request names a fresh unknown client id, so every answer differs and
-- none can reuse another's signature (the worst case). With DELAY_MS each
-- connection waits that long between requests: at most
-- connections x 1000 / DELAY_MS requests per second.
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["content-type"] = "application/json"
wrk.headers["request-time"] = "1700000000000"
wrk.headers["signature"] = "algorithm=RSA256,keyVersion=1,signature=Zm9yZ2Vk"

local n = 0
request = function()
  n = n + 1
  wrk.headers["client-id"] = "FORGED-" .. n .. "-" .. math.random(1, 1000000000)
  return wrk.format(nil, "/ams/api/v1/payments/inquiryPayment")
end

local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
if delay_ms > 0 then
  delay = function() return delay_ms end
end
