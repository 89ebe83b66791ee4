--[[
Shared engine of fileslower, netlower and scallslower: print the calls that
took longer than a threshold (in milliseconds), one line each.
--]]

require "common"
local term = require "ansiterminal"
term.enable_color(true)

local M = {}

local HEAD_C = "%-23.23s %-20.20s %-20.20s %-12.12s %-8s %-12s %s"
local HEAD = "%-23.23s %-12.12s %-8s %-12s %s"
local ROW_C = "%-23.23s %-20.20s %-20.20s %-12.12s %-8s %12d %s"
local ROW = "%-23.23s %-12.12s %-8s %12d %s"

-- I/O variants: opts.filter (the I/O to watch), opts.skip_dev (ignore /dev files).
function M.io_chisel(opts)
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
	function on_init()
		f.type = chisel.request_field("evt.type")
		f.dir = chisel.request_field("evt.dir")
		f.time = chisel.request_field("evt.datetime")
		f.fd = chisel.request_field("fd.name")
		f.proc = chisel.request_field("proc.name")
		f.lat = chisel.request_field("evt.latency")
		f.cname = chisel.request_field("container.name")
		f.cid = chisel.request_field("container.id")
		with_container = sysdig.is_print_container_data()
		chisel.set_filter(opts.filter)
		local d = string.rep("-", 41)
		if with_container then
			print(string.format(HEAD_C, "evt.datetime", "container.id", "container.name", "proc.name", "evt.type", "LATENCY(ms)", "fd.name"))
			print(string.format(HEAD_C, string.rep("-", 23), string.rep("-", 30), string.rep("-", 30), string.rep("-", 12),
				string.rep("-", 8), string.rep("-", 12), d))
		else
			print(string.format(HEAD, "evt.datetime", "proc.name", "evt.type", "LATENCY(ms)", "fd.name"))
			print(string.format(HEAD, string.rep("-", 23), string.rep("-", 12), string.rep("-", 8), string.rep("-", 12), d))
		end
		return true
	end

	function on_event()
		local ms = evt.field(f.lat) / 1000000
		local name = evt.field(f.fd)
		if evt.field(f.dir) ~= "<" or not (ms > min_ms) then return true end
		if opts.skip_dev and string.sub(name, 1, 5) == "/dev/" then return true end
		local color = (evt.field(f.cname) ~= "host") and term.blue or term.green
		if with_container then
			print(color .. string.format(ROW_C, evt.field(f.time), evt.field(f.cid), evt.field(f.cname), evt.field(f.proc),
				evt.field(f.type), ms, name))
		else
			print(color .. string.format(ROW, evt.field(f.time), evt.field(f.proc), evt.field(f.type), ms, name))
		end
		return true
	end
end

return M
