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

-- Handed to table_generator as sysdig's fdtime_by hands it, so that errors
-- (a key that is not a field) name table_generator as sysdig's do.
function on_init()
	chisel.exec("table_generator", key, key, "evt.latency", "Time", "evt.is_io=true", "10", "time")
	return true
end
