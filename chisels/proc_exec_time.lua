-- scry chisel: proc_exec_time
description = "Lists processes as they exit, with how long they ran, their name and arguments. Lines are green for host processes and blue for containers, yellow past 3 seconds of run time and red past 10. With -pc, the container id and name are shown too."
short_description = "How long processes ran, as they exit"
category = "Performance"
args = {
	{ name = "disable_color", description = "Pass 'disable_colors' to print without colors", argtype = "string", optional = true },
}

require "common"
local term = require "ansiterminal"
term.enable_color(true)

local YELLOW_NS = 3000000000
local RED_NS = 10000000000

function on_set_arg(name, val)
	if val == "disable_colors" then term.enable_color(false) end
	return true
end

local f = {}
local with_container
local ROW_C = "%-13.13s %-20.20s %-20.20s %-12.12s %s"
local ROW = "%-13.13s %-12.12s %s"

function on_init()
	f.name = chisel.request_field("proc.name")
	f.args = chisel.request_field("proc.args")
	f.duration = chisel.request_field("proc.duration")
	f.cname = chisel.request_field("container.name")
	f.cid = chisel.request_field("container.id")
	with_container = sysdig.is_print_container_data()
	chisel.set_filter("evt.type=procexit")
	if with_container then
		print(string.format(ROW_C, "proc.duration", "container.id", "container.name", "proc.name", "proc.args"))
		print(string.format(ROW_C, string.rep("-", 13), string.rep("-", 20), string.rep("-", 20), string.rep("-", 12), string.rep("-", 20)))
	else
		print(string.format(ROW, "proc.duration", "proc.name", "proc.args"))
		print(string.format(ROW, string.rep("-", 13), string.rep("-", 12), string.rep("-", 20)))
	end
	return true
end

function on_event()
	local d = evt.field(f.duration)
	if d == nil then return true end
	local color
	if d > RED_NS then color = term.red
	elseif d > YELLOW_NS then color = term.yellow
	elseif evt.field(f.cname) ~= "host" then color = term.blue
	else color = term.green end
	if with_container then
		print(color .. string.format(ROW_C, format_time_interval(d), evt.field(f.cid), evt.field(f.cname), evt.field(f.name), evt.field(f.args)))
	else
		print(color .. string.format(ROW, format_time_interval(d), evt.field(f.name), evt.field(f.args)))
	end
	return true
end

function on_capture_end()
	print(term.reset)
end
