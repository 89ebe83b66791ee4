-- scry chisel: around
description = "Prints the events matching the command-line filter (time, process and thread), then writes to a file the events of the same threads within dump_range_ms milliseconds (1000 by default) before and after each of them. For example: scry -r trace.scap -c around out.scap 'evt.type=open and evt.failed=true'."
short_description = "Save the events around each filter match to a file"
category = "Misc"
args = {
	{ name = "dump_file_name", description = "File to write the events to", argtype = "string", optional = false },
	{ name = "dump_range_ms", description = "Milliseconds saved before and after each match (default 1000)", argtype = "int", optional = true },
}

require "common"
local term = require "ansiterminal"
term.enable_color(true)

local out_file
local range_ms = "1000"
local marks = {}
local started = false
local f = {}
local tty

function on_set_arg(name, val)
	if name == "dump_file_name" then out_file = val return true end
	if name == "dump_range_ms" then range_ms = val return true end
	return false
end

function on_init()
	f.proc = chisel.request_field("proc.name")
	f.tid = chisel.request_field("thread.tid")
	f.time = chisel.request_field("evt.time")
	tty = sysdig.is_tty()
	if sysdig.get_filter() == "" then
		print("no filter specified")
		return false
	end
	return true
end

function on_capture_start()
	if sysdig.is_live() then
		print("live capture not supported")
		return false
	end
	started = true
	return true
end

function on_event()
	local tid = evt.field(f.tid)
	print(evt.field(f.time) .. " " .. (evt.field(f.proc) or "<NA>") .. "(" .. tid .. ")")
	local s, ns = evt.get_ts()
	marks[#marks + 1] = { s, ns, tid }
	return true
end

function on_capture_end()
	if tty then print(term.reset) end
	if not started then return end
	local sel = {}
	for i, m in ipairs(marks) do
		sel[i] = "(evt.around[" .. ts_to_str(m[1], m[2]) .. "]=" .. range_ms .. " and thread.tid=" .. m[3] .. ")"
	end
	print("\nSaving events around " .. #marks .. " syslog entries to " .. out_file)
	sysdig.run_app("-F -r" .. sysdig.get_evtsource_name() .. " -w" .. out_file .. " " .. table.concat(sel, " or "))
end
