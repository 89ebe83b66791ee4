-- scry chisel: fdbytes_by
description = "Groups file descriptor I/O by any field (e.g. proc.name, fd.name, fd.sport) and lists the 30 keys that moved the most bytes, reads and writes together."
short_description = "I/O bytes grouped by any field"
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
local spec = { value = "evt.rawarg.res", value_name = "Bytes", units = "bytes",
	filter = "evt.is_io=true and evt.failed=false", limit = 30 }
top.chisel(spec)
local init = on_init
function on_init()
	-- Several fields may be given, separated by commas.
	spec.keys = split(key, ",")
	spec.key_names = split(key, ",")
	return init()
end
