-- scry chisel: ps
description = "Lists the processes (threads) of the machine, like ps, as they were at the first event the command-line filter lets through (the first event of the capture without one). The argument keeps only the processes with a file descriptor matching that filter, e.g. 'fd.name contains /etc'."
short_description = "Processes of the machine (optionally filtered)"
category = "System State"
args = {
	{ name = "filter", description = "Only list processes with a descriptor matching this filter", argtype = "filter", optional = true },
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
	print(extend_string("TID", 8) .. extend_string("PID", 8) .. extend_string("USER", 12) .. extend_string("VIRT", 11) ..
		extend_string("RES", 11) .. extend_string("FDLIMIT", 10) .. extend_string("CMD", 20))
	for _, tid in ipairs(snap.sorted_keys(threads)) do
		local t = threads[tid]
		print(extend_string(tostring(tid), 8) .. extend_string(tostring(t.pid), 8) .. extend_string(t.username, 12) ..
			extend_string(format_bytes(t.vmsize_kb * 1024), 11) .. extend_string(format_bytes(t.vmrss_kb * 1024), 11) ..
			extend_string(tostring(t.fdlimit), 10) .. t.comm)
	end
end)
