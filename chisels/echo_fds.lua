-- scry chisel: echo_fds
description = "Prints what processes read from and write to their file descriptors: a colored header line per read (red) or write (blue) with the size, the fd name and the process, followed by the data. Add a filter to narrow it down. With -pc, the container name and id are shown too (green for the host, cyan for containers)."
short_description = "Data processes read and write, with headers"
category = "I/O"
args = {
	{ name = "disable_color", description = "Pass 'disable_color' to print without colors", argtype = "string", optional = true },
}

require "common"
local term = require "ansiterminal"
term.enable_color(true)

function on_set_arg(name, val)
	if name == "disable_color" and val == "disable_color" then
		term.enable_color(false)
	end
	return true
end

local f = {}
local with_container

function on_init()
	f.data = chisel.request_field("evt.rawarg.data")
	f.isread = chisel.request_field("evt.is_io_read")
	f.res = chisel.request_field("evt.rawarg.res")
	f.fd = chisel.request_field("fd.name")
	f.proc = chisel.request_field("proc.name")
	f.cname = chisel.request_field("container.name")
	f.cid = chisel.request_field("container.id")
	with_container = sysdig.is_print_container_data()
	sysdig.set_snaplen(2000)
	chisel.set_filter("evt.is_io=true and evt.dir=< and evt.rawres>0")
	chisel.set_event_formatter("%evt.arg.data")
	return true
end

function on_event()
	local isread = evt.field(f.isread)
	local res = evt.field(f.res)
	local fdname = evt.field(f.fd) or "<NA>"
	local proc = evt.field(f.proc)
	local cname, cid = evt.field(f.cname), evt.field(f.cid)
	if res <= 0 then return true end

	local where = ""
	if with_container then
		local c = (cname == "host") and term.green or term.cyan
		where = string.format("%s [%s] [%s]", c, cname, cid)
	end
	local color, verb, prep = term.blue, "Write", "to"
	if isread then color, verb, prep = term.red, "Read", "from" end
	local who = string.format("%s %s (%s)", color, fdname, proc)
	print(string.format("%s------ %s %s %s %s %s", color, verb, format_bytes(res), prep, where, who))
	return true
end

function on_capture_end()
	print(term.reset)
end
