-- wrk script: a mixed load over the pages, images, API and assets a visitor touches (paths from the
-- PATHS environment variable, one per line), each request a random one of them.
local paths = {}
for p in string.gmatch(os.getenv("PATHS") or "/", "[^\n]+") do
  paths[#paths + 1] = p
end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", paths[math.random(#paths)], { ["Accept-Encoding"] = "gzip" })
end
