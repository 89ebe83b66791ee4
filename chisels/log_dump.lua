--[[
scry chisel helper: saving the events around chosen events to a capture
file, for spy_logs and spy_syslog. It takes their dump_file_name and
dump_range_ms arguments, refuses live captures, remembers the time and
thread of each chosen event, and at the end asks for a second run over the
same file that writes the events within dump_range_ms of them on the same
threads (sysdig.run_app with evt.around filters). Not a chisel: it has no
args table.
--]]

require "common"

local M = {}
M.__index = M

function M.new()
	return setmetatable({ file = nil, range_ms = "1000", marks = {}, started = false }, M)
end

-- on_set_arg for dump_file_name and dump_range_ms: false for other names.
function M:set_arg(name, val)
	if name == "dump_file_name" then self.file = val return true end
	if name == "dump_range_ms" then self.range_ms = val return true end
	return false
end

-- on_capture_start: false, after saying why, for a dump of a live capture.
function M:capture_start()
	if self.file and sysdig.is_live() then
		print("events export not supported on live captures")
		return false
	end
	self.started = true
	return true
end

-- Remembers the current event, of thread tid, when a dump was asked for.
function M:mark(tid)
	if not self.file then return end
	local s, ns = evt.get_ts()
	self.marks[#self.marks + 1] = { s, ns, tid }
end

-- on_capture_end: the second run that writes the file.
function M:finish()
	if not (self.file and self.started) then return end
	local sel = {}
	for i, m in ipairs(self.marks) do
		sel[i] = "(evt.around[" .. ts_to_str(m[1], m[2]) .. "]=" .. self.range_ms .. " and thread.tid=" .. m[3] .. ")"
	end
	print("Writing events for " .. #self.marks .. " log entries")
	sysdig.run_app("-F -r" .. sysdig.get_evtsource_name() .. " -w" .. self.file .. " " .. table.concat(sel, " or "))
end

return M
