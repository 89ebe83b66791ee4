--[[
HTTP request/response matching for httplog and httptop: a request is the
first buffer of a socket that starts like "GET /path"; the next buffer on
the same process and fd that holds an "HTTP/x.y CODE" status line is its
response.
--]]

local M = {}

local f = {}
M.fields = f -- field handles, once init() has run
local pending = {} -- "pid fd" -> transaction

function M.init()
	chisel.set_filter("evt.is_io = true and evt.buflen > 0 and (fd.sockfamily = ip or fd.sockfamily = unix)")
	f.buf = chisel.request_field("evt.buffer")
	f.fd = chisel.request_field("fd.num")
	f.pid = chisel.request_field("proc.pid")
	f.ts = chisel.request_field("evt.rawtime")
	f.datetime = chisel.request_field("evt.datetime")
	f.dir = chisel.request_field("evt.io_dir")
	f.container = chisel.request_field("container.name")
	sysdig.set_snaplen(1024)
end

function M.datetime() return evt.field(f.datetime) end

function M.request_of(buf)
	local method, url = string.match(buf, "^(%u+) (%g+)")
	if not (method and url) then return nil end
	local host = string.match(buf, "Host: (%g+)%.%.")
	if host then url = host .. url end
	return { method = method, url = url }
end

function M.response_of(buf)
	local code = string.match(buf, "HTTP/[%g]+ (%d+)")
	if not code then return nil end
	local len = string.match(buf, "Content%-Length: (%d+)%.%.") or 0
	return { code = tonumber(code), length = tonumber(len) }
end

-- Feeds the current event; calls done(transaction) when a response
-- completes a request. transaction = { request = {method, url, ts},
-- response = {code, length, ts}, dir = "<" | ">" | "<NA>", container }.
-- Open requests are kept in `open` (by "pid\1\1fd"), this module's own
-- table when not given.
function M.feed(done, open)
	local pending = open or pending
	local buf = evt.field(f.buf)
	local fd = evt.field(f.fd)
	local pid = evt.field(f.pid)
	local dir = evt.field(f.dir)
	local key = string.format("%d\001\001%d", pid, fd)
	local ts = evt.field(f.ts)
	local tr = pending[key]
	if not tr then
		local req = M.request_of(buf)
		if req then
			req.ts = ts
			local arrow = "<NA>"
			if dir == "read" then arrow = "<" elseif dir == "write" then arrow = ">" end
			pending[key] = { request = req, dir = arrow, container = evt.field(f.container) }
		end
	else
		local resp = M.response_of(buf)
		if resp then
			resp.ts = ts
			tr.response = resp
			done(tr)
			pending[key] = nil
		end
	end
end

return M
