-- scry chisel: scallslower
description = "Prints the system calls that took longer than the given number of milliseconds to return: time, process, latency and call. With -pc, the container id and name are shown too (blue for containers, green for the host)."
short_description = "System calls slower than a threshold"
category = "Performance"
args = {
	{ name = "min_ms", description = "Only show calls slower than this many milliseconds", argtype = "int", optional = false },
	{ name = "disable_color", description = "Pass 'disable_color' to print without colors", argtype = "string", optional = true },
}

require "common"
local term = require "ansiterminal"
term.enable_color(true)

local min_ms

function on_set_arg(name, val)
	if name == "disable_color" and val == "disable_color" then
		term.enable_color(false)
	elseif name == "min_ms" then
		min_ms = parse_numeric_input(val, name)
	end
	return true
end

local f = {}
local with_container
-- (sysdig's header has two blanks after the container id column; kept.)
local HEAD_C = "%-23.23s %-20.20s  %-20.20s %-23.23s %-20s %s"
local ROW_C = "%-23.23s %-20.20s %-20.20s %-23.23s %-20s %s"
local ROW = "%-23.23s %-23.23s %-20s %s"

function on_init()
	f.type = chisel.request_field("evt.type")
	f.time = chisel.request_field("evt.datetime")
	f.proc = chisel.request_field("proc.name")
	f.lat = chisel.request_field("evt.latency")
	f.cname = chisel.request_field("container.name")
	f.cid = chisel.request_field("container.id")
	with_container = sysdig.is_print_container_data()
	local dash = function(n) return string.rep("-", n) end
	if with_container then
		print(string.format(HEAD_C, "evt.datetime", "container.id", "container.name", "proc.name", "LATENCY(ms)", "evt.type"))
		print(string.format(ROW_C, dash(23), dash(20), dash(20), dash(23), dash(20), dash(20)))
	else
		print(string.format(ROW, "evt.datetime", "proc.name", "LATENCY(ms)", "evt.type"))
		print(string.format(ROW, dash(23), dash(23), dash(20), dash(20)))
	end
	return true
end

function on_event()
	local ns = evt.field(f.lat)
	if ns == nil then return end
	local ms = ns / 1000000
	if not (ms > min_ms) then return end
	local color = (evt.field(f.cname) ~= "host") and term.blue or term.green
	if with_container then
		print(color .. string.format(ROW_C, evt.field(f.time), evt.field(f.cid), evt.field(f.cname), evt.field(f.proc), ms, evt.field(f.type)))
	else
		print(color .. string.format(ROW, evt.field(f.time), evt.field(f.proc), ms, evt.field(f.type)))
	end
end
