-- scry chisel: spy_file
description = "Shows every successful read and write on files, one line each: time, process and pid, R or W, size, file name and the data (printed as text). The first argument keeps only reads (R) or writes (W); the second follows a single file."
short_description = "Every file read and write, with its data (optionally for one file only, or reads or writes only)"
category = "I/O"
args = {
	{ name = "read_or_write", description = "R for reads only, W for writes only, RW (the default) for both", argtype = "string", optional = true },
	{ name = "spy_on_file_name", description = "Only show the I/O on this file", argtype = "string", optional = true },
}

require "common"

local mode, only_file

function on_set_arg(name, val)
	if name == "read_or_write" then mode = val return true end
	if name == "spy_on_file_name" then only_file = val return true end
	return false
end

local f = {}

function on_init()
	f.data = chisel.request_field("evt.arg.data")
	f.fd = chisel.request_field("fd.name")
	f.write = chisel.request_field("evt.is_io_write")
	f.pid = chisel.request_field("proc.pid")
	f.proc = chisel.request_field("proc.name")
	f.res = chisel.request_field("evt.rawarg.res")
	f.time = chisel.request_field("evt.time")
	sysdig.set_snaplen(2000)
	sysdig.set_output_format("ascii")

	local parts = {}
	if only_file ~= nil and only_file ~= "" then
		parts[#parts + 1] = "(fd.name=" .. only_file .. ")"
	else
		parts[#parts + 1] = "(not fd.name contains /dev/pt and not fd.name contains /dev/tty)"
	end
	if mode == "R" or mode == "r" then
		parts[#parts + 1] = "evt.is_io_read=true"
	elseif mode == "W" or mode == "w" then
		parts[#parts + 1] = "evt.is_io_write=true"
	else
		parts[#parts + 1] = "evt.is_io=true"
	end
	parts[#parts + 1] = "fd.type=file and evt.dir=< and evt.failed=false"
	chisel.set_filter(table.concat(parts, " and "))
	return true
end

function on_event()
	local rw = (evt.field(f.write) == true) and "W" or "R"
	print(string.format("%s %s(%s) %s %s %s %s", evt.field(f.time), evt.field(f.proc), evt.field(f.pid), rw,
		format_bytes(evt.field(f.res)), evt.field(f.fd), evt.field(f.data)))
	return true
end
