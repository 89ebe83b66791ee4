-- scry chisel: lscontainers
description = "Lists the containers known at the first event the command-line filter lets through: type, image, name and id. With the argument 'desc', prints the container table as a Lua data structure instead."
short_description = "Containers of the machine"
category = "System State"
args = {
	{ name = "desc", description = "Pass 'desc' to print the table as a data structure", argtype = "string", optional = true },
}

require "common"
local snap = require "scry_snapshot"

local as_data = false

function on_set_arg(name, val)
	if name == "desc" and val == "desc" then
		as_data = true
		return true
	end
	return false
end

snap.chisel(function()
	local list = sysdig.get_container_table()
	if as_data then
		print(st(list))
		return
	end
	print(extend_string("container.type", 15) .. extend_string("container.image", 16) ..
		extend_string("container.name", 20) .. extend_string("container.id", 13))
	print(extend_string(string.rep("-", 15), 15) .. extend_string(string.rep("-", 16), 16) ..
		extend_string(string.rep("-", 20), 20) .. extend_string(string.rep("-", 13), 13))
	for _, i in ipairs(snap.sorted_keys(list)) do
		local c = list[i]
		print(extend_string(tostring(c.type), 15) .. extend_string(tostring(c.image), 16) ..
			extend_string(tostring(c.name), 20) .. extend_string(tostring(c.id), 13))
	end
end, { quiet_when_empty = true, event_result = true })
