-- scry chisel: fdcount_by
description = "Groups the file descriptors seen in use by any field (e.g. proc.name, fd.sip) and prints how many distinct descriptors each key had, most first."
short_description = "Descriptor counts grouped by any field"
category = "I/O"
args = {
	{ name = "key", description = "The field to group by", argtype = "string" },
}

require "common"

local key_field_name = ""
function on_set_arg(name, val)
	if name == "key" then key_field_name = val return true end
	return false
end

local fkey, fnum, fname
-- key -> { seen = { [fd number .. fd name] = true }, n = count }
local groups = {}

function on_init()
	fkey = chisel.request_field(key_field_name)
	fnum = chisel.request_field("fd.num")
	fname = chisel.request_field("fd.name")
	return true
end

function on_event()
	local k, num, name = evt.field(fkey), evt.field(fnum), evt.field(fname)
	if k == nil or num == nil or num <= 0 or name == nil or name == "" then return true end
	local g = groups[k]
	if g == nil then
		g = { seen = {}, n = 0 }
		groups[k] = g
	end
	local id = tostring(num) .. name
	if not g.seen[id] then
		g.seen[id] = true
		g.n = g.n + 1
	end
	return true
end

function on_capture_end()
	-- sysdig's fdcount_by reads a field here: when no event reached the
	-- chisel, that says "invalid call to evt.field()" on stderr (and the
	-- empty table is not printed); users comparing runs see the same
	evt.field(fnum)
	for k, g in pairs_top_by_val(groups, 0, function(t, a, b) return t[b].n < t[a].n end) do
		print(k, g.n)
	end
	return true
end
