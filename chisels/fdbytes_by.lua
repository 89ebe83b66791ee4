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

-- Handed to table_generator as sysdig's fdbytes_by hands it, so that errors
-- (a key that is not a field) name table_generator as sysdig's do.
function on_init()
	chisel.exec("table_generator", key, key, "evt.rawarg.res", "Bytes", "evt.is_io=true and evt.failed=false", "30", "bytes")
	return true
end
