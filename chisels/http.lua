--[[
The HTTP helpers that sysdig's chisels load with `require "http"` (its
httplog and httptop, and chisels written after them), under the global
names they call: http_init(), run_http_parser(evt, on_transaction),
parse_request(buf), parse_response(buf), the table of requests still
waiting for their response, partial_transactions (a chisel may replace it),
and, once http_init() has run, the handles of the fields it reads
(buffer_field, fd_field, pid_field, rawtime_field, datetime_field,
dir_field, container_field).
scry's own httplog and httptop use scry_http directly; this is the same
parser.
--]]

local core = require "scry_http"

partial_transactions = {}

function http_init()
	core.init()
	local f = core.fields
	buffer_field, fd_field, pid_field = f.buf, f.fd, f.pid
	rawtime_field, datetime_field = f.ts, f.datetime
	dir_field, container_field = f.dir, f.container
end

parse_request = core.request_of
parse_response = core.response_of

-- (the event is always the current one: `evt`, as the argument says)
function run_http_parser(_, on_transaction)
	core.feed(on_transaction, partial_transactions)
end
