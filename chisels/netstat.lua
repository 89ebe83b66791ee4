-- scry chisel: netstat
description = "Lists the network connections and listening sockets of the machine, like netstat, as they were at the first event the command-line filter lets through (the first event of the capture without one). The argument is a filter on the sockets to list, e.g. 'proc.name=nginx'."
short_description = "Connections and listening sockets (optionally filtered)"
category = "System State"
args = {
	{ name = "filter", description = "Only list sockets matching this filter", argtype = "filter", optional = true },
}

require "common"
local snap = require "scry_snapshot"

-- (sysdig joins the user's filter without a blank before "and"; same here.)
local sock_filter = "(fd.type=ipv4 or fd.type=ipv6)"

function on_set_arg(name, val)
	if name == "filter" then
		sock_filter = sock_filter .. "and (" .. val .. ")"
		return true
	end
	return false
end

snap.chisel(function()
	local threads = sysdig.get_thread_table(sock_filter)
	print(extend_string("Proto", 6) .. extend_string("Server Address", 25) .. extend_string("Client Address", 25) ..
		extend_string("State", 15) .. "TID/PID/Program Name")
	-- (in table order, as sysdig prints them)
	for tid, t in pairs(threads) do
		for _, s in pairs(t.fdtable) do
			local client, state = (s.cip or "0.0.0.0") .. ":" .. (s.cip and s.cport or "*"), s.cip and "ESTABLISHED" or "LISTEN"
			print(extend_string(s.l4proto, 6) .. extend_string(s.sip .. ":" .. s.sport, 25) .. extend_string(client, 25) ..
				extend_string(state, 15) .. tid .. "/" .. t.pid .. "/" .. t.comm)
		end
	end
end)
