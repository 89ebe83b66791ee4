-- scry chisel: fdtime_by
description = "Groups file descriptor I/O by any field (e.g. proc.name, fd.name) and lists the 10 keys whose I/O took the most time."
short_description = "I/O time grouped by any field"
category = "I/O"
args = {
	{ name = "key", description = "The field to group by", argtype = "string" },
}

local key = ""
function on_set_arg(name, val)
	if name == "key" then key = val return true end
	return false
end

local top = require "scry_top"
local spec = { value = "evt.latency", value_name = "Time", units = "time", filter = "evt.is_io=true", limit = 10 }
top.chisel(spec)
local init = on_init
function on_init()
	-- Several fields may be given, separated by commas.
	spec.keys = split(key, ",")
	spec.key_names = split(key, ",")
	return init()
end
