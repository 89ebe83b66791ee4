-- scry chisel: lsof
description = "Lists the open file descriptors of every process, like lsof, as they were at the first event the command-line filter lets through (the first event of the capture without one). The argument is a filter on the descriptors to list."
short_description = "Open file descriptors of every process (optionally filtered)"
category = "System State"
args = {
	{ name = "filter", description = "Only list descriptors matching this filter, e.g. 'proc.name=nginx and fd.type=ipv4'", argtype = "filter", optional = true },
}

require "common"
local snap = require "scry_snapshot"

local fd_filter

function on_set_arg(name, val)
	if name == "filter" then fd_filter = val return true end
	return false
end

snap.chisel(function()
	local threads = sysdig.get_thread_table(fd_filter)
	print(extend_string("COMMAND", 20) .. extend_string("PID", 8) .. extend_string("TID", 8) ..
		extend_string("USER", 8) .. extend_string("FD", 8) .. extend_string("TYPE", 12) .. "NAME")
	for _, tid in ipairs(snap.sorted_keys(threads)) do
		local t = threads[tid]
		-- (a process's descriptors in table order, as sysdig prints them)
		for fd, d in pairs(t.fdtable) do
			print(extend_string(t.comm, 20) .. extend_string(tostring(t.pid), 8) .. extend_string(tostring(tid), 8) ..
				extend_string(t.username, 8) .. extend_string(tostring(fd), 8) .. extend_string(tostring(d.type), 12) ..
				tostring(d.name))
		end
	end
end)
