-- scry chisel: spy_syslog
description = "Shows each message processes send to the syslog socket (any file or socket whose name contains /dev/log) as facility.severity, the process name and thread id, then the message text. Narrow it with a filter such as 'proc.name=sshd' or 'syslog.message contains denied'. On a terminal, warnings are yellow, errors and worse red, messages from containers blue and the rest green; with -pc each line also shows the container id and name. With dump_file_name, the events around each message (dump_range_ms before and after, 1000 by default) are then saved to that file."
short_description = "Messages sent to syslog, optionally saving the events around each one to a file"
category = "Logs"
args = {
	{ name = "dump_file_name", description = "File to save the events around each syslog message to", argtype = "string", optional = true },
	{ name = "dump_range_ms", description = "Milliseconds saved before and after each message (default 1000)", argtype = "int", optional = true },
	{ name = "disable_color", description = "Pass 'disable_color' to print without colors", argtype = "string", optional = true },
}

require "common"
local term = require "ansiterminal"
term.enable_color(true)
local dump = require("log_dump").new()

local SYSLOG_WRITES = "fd.name contains /dev/log and evt.is_io_write=true and evt.dir=< and evt.failed=false"
local WARNING = 4

local tty, with_container
local f = {}

function on_set_arg(name, val)
	if dump:set_arg(name, val) then return true end
	if name == "disable_color" and val == "disable_color" then term.enable_color(false) return true end
	return false
end

function on_init()
	f.facility = chisel.request_field("syslog.facility.str")
	f.severity = chisel.request_field("syslog.severity.str")
	f.sevnum = chisel.request_field("syslog.severity")
	f.msg = chisel.request_field("syslog.message")
	f.tid = chisel.request_field("thread.tid")
	f.proc = chisel.request_field("proc.name")
	f.cname = chisel.request_field("container.name")
	f.cid = chisel.request_field("container.id")
	with_container = sysdig.is_print_container_data()
	sysdig.set_snaplen(1000)
	chisel.set_filter(SYSLOG_WRITES)
	tty = sysdig.is_tty()
	return true
end

function on_capture_start()
	return dump:capture_start()
end

-- The color of a message on a terminal: by severity (lower is worse), then
-- blue for containers. (A message without a <PRI> header has no severity.)
local function color_of(sev, cname)
	if sev == WARNING then return term.yellow end
	if sev ~= nil and sev < WARNING then return term.red end
	if cname ~= "host" then return term.blue end
	return term.green
end

function on_event()
	local fac, sev, msg = evt.field(f.facility), evt.field(f.severity), evt.field(f.msg)
	local proc, tid = evt.field(f.proc), evt.field(f.tid)
	local cname, cid = evt.field(f.cname), evt.field(f.cid)
	local line
	if tty then
		local color = color_of(evt.field(f.sevnum), cname)
		if with_container then
			line = string.format("%s%-20s %-20s %s.%s %s[%u] %s", color, cid, cname, fac, sev, proc, tid, msg)
		else
			line = string.format("%s%s.%s %s[%u] %s", color, fac, sev, proc, tid, msg)
		end
	elseif with_container then
		-- (without a terminal the facility comes first, then the container id and name)
		line = string.format("%-20s %-20s %s.%s %s[%u] %s", fac, cid, cname, sev, proc, tid, msg)
	else
		line = string.format("%s.%s %s[%u] %s", fac, sev, proc, tid, msg)
	end
	print(line)
	dump:mark(tid)
	return true
end

function on_capture_end()
	if tty then print(term.reset) end
	dump:finish()
end
