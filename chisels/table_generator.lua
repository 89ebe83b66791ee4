--[[
The generic grouping table behind sysdig's top chisels, which hand it their
settings with chisel.exec("table_generator", keys, keydescs, value,
valuedesc, filter, top_number, value_units). Present so that those chisels,
and chisels written after them, run unchanged; scry's own top chisels call
scry_top directly with the same settings.
--]]

description = "Groups the events that pass a filter by one or more fields, adds up a value per group and prints the groups with the largest totals (every second when live). Other chisels run it with chisel.exec."
short_description = "Group by keys and add up a value"
category = "Filter"
hidden = true

args = {
	{ name = "keys", description = "the fields to group by, separated by commas", argtype = "string" },
	{ name = "keydescs", description = "a column title per key, separated by commas", argtype = "string" },
	{ name = "value", description = "the field added up per group", argtype = "string" },
	{ name = "valuedesc", description = "the value's column title", argtype = "string" },
	{ name = "filter", description = "only events that pass this filter count", argtype = "string" },
	{ name = "top_number", description = "how many groups to print (0: all)", argtype = "string" },
	{ name = "value_units", description = "how values print: bytes, time, timepct or none", argtype = "string" },
}

require "common"

-- filled in by on_set_arg before scry_top reads it in on_init
local spec = { keys = {}, key_names = {}, value = "", value_name = "", units = "none", filter = "", limit = 0 }

require("scry_top").chisel(spec)

function on_set_arg(name, val)
	if name == "keys" then spec.keys = split(val, ",")
	elseif name == "keydescs" then spec.key_names = split(val, ",")
	elseif name == "value" then spec.value = val
	elseif name == "valuedesc" then spec.value_name = val
	elseif name == "filter" then spec.filter = val
	elseif name == "top_number" then spec.limit = tonumber(val)
	elseif name == "value_units" then spec.units = val
	else return false end
	return true
end

local grouping_init = on_init

-- (the grouping is set up even when the titles do not match the keys, so
-- that the end of the run prints the table's header, as sysdig does)
function on_init()
	local ok = grouping_init()
	if #spec.keys ~= #spec.key_names then
		print("error: number of entries in keys different from number entries in keydescs")
		return false
	end
	return ok
end
