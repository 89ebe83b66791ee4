-- scry chisel: stderr
description = "Prints the standard error of processes (what they write to fd 2) as it goes by. Add a filter to follow one process or pid. With -pc, each line starts with the container id and name (blue for containers, green for the host)."
short_description = "What processes write to standard error"
category = "I/O"
args = {
	{ name = "disable_color", description = "Pass 'disable_color' to print without colors", argtype = "string", optional = true },
}

local term = require "ansiterminal"
term.enable_color(true)

function on_set_arg(name, val)
	if name == "disable_color" and val == "disable_color" then
		term.enable_color(false)
		return true
	end
	return false
end

local data, cname, cid, with_container

function on_init()
	data = chisel.request_field("evt.rawarg.data")
	cname = chisel.request_field("container.name")
	cid = chisel.request_field("container.id")
	with_container = sysdig.is_print_container_data()
	sysdig.set_snaplen(2000)
	chisel.set_filter("fd.num=2 and evt.is_io=true")
	return true
end

function on_event()
	local b = evt.field(data)
	local name, id = evt.field(cname), evt.field(cid)
	if b == nil then return true end
	if with_container then
		local color = (name ~= "host") and term.blue or term.green
		print(color .. string.format("%-20.20s %-20.20s %s", id, name, b))
	else
		print(b)
	end
	return true
end
