-- scry chisel: stdin
description = "Prints the standard input of processes (what they write to or read from fd 0) as it goes by. Add a filter to follow one process or pid."
short_description = "What processes read from standard input"
category = "I/O"
args = {}

local data

function on_init()
	data = chisel.request_field("evt.rawarg.data")
	sysdig.set_snaplen(2000)
	chisel.set_filter("fd.num=0 and evt.is_io=true")
	return true
end

function on_event()
	local b = evt.field(data)
	if b ~= nil then print(b) end
	return true
end
