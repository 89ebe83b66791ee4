-- scry chisel: bottlenecks
description = "Lists the 10 system calls that took longest to return during the capture, slowest first: for each, the line of its call and the line of its return."
short_description = "The slowest system calls of the capture"
category = "Performance"
args = {}

local KEEP = 10
local f = {}
local slowest = {}   -- { latency, call line, return line }, slowest first
local calls = {}     -- tid -> line of its last call

function on_init()
	f.num = chisel.request_field("evt.num")
	f.type = chisel.request_field("evt.type")
	f.args = chisel.request_field("evt.args")
	f.lat = chisel.request_field("evt.latency")
	f.proc = chisel.request_field("proc.name")
	f.tid = chisel.request_field("thread.tid")
	return true
end

function on_event()
	local lat = evt.field(f.lat)
	local tid = evt.field(f.tid)
	local etype = evt.field(f.type)
	if etype == "switch" then return true end
	if lat == 0 then
		calls[tid] = string.format("%d) 0.%.9d %s (%d) > %s %s", evt.field(f.num), 0, evt.field(f.proc) or "",
			evt.field(f.tid), etype, evt.field(f.args))
	elseif lat ~= nil then
		for i = 1, KEEP do
			if slowest[i] == nil or lat > slowest[i][1] then
				local ret = string.format("%d) %d.%.9d %s (%d) < %s %s", evt.field(f.num), lat / 1000000000, lat % 1000000000,
					evt.field(f.proc) or "", evt.field(f.tid), etype, evt.field(f.args))
				table.insert(slowest, i, { lat, calls[tid], ret })
				break
			end
		end
		if #slowest > KEEP then table.remove(slowest) end
	end
	return true
end

function on_capture_end()
	for _, s in ipairs(slowest) do
		print(s[2])
		print(s[3])
	end
	return true
end
