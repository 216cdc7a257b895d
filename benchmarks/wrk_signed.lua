-- wrk script: POST pre-signed Twilio form bodies, each once (a file of "signature<TAB>body" lines).
-- wrk -t THREADS -s benchmarks/wrk_signed.lua URL -- PATH FILE THREADS OFFSET
-- OFFSET: the first line to use, so successive runs never repeat a message.
local created = 0
function setup(thread)
  thread:set("id", created)
  created = created + 1
end

function init(args)
  path, file, step, offset = args[1], args[2], tonumber(args[3]), tonumber(args[4] or "0")
  lines, n = {}, 0
  for line in io.lines(file) do
    lines[#lines + 1] = line
  end
end

function request()
  local line = lines[(offset + n * step + id) % #lines + 1]
  n = n + 1
  local signature, body = line:match("^([^\t]*)\t(.*)$")
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Twilio-Signature"] = signature,
  }, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "non2xx": %d, "p50_ms": %.3f, "p99_ms": %.3f}\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
