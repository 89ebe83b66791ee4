-- scry chisel: spy_logs
description = "Prints every line processes write to log files (names containing .log, _log or /var/log, compressed files excepted), with the process and the file. On a terminal, lines are green, yellow for warnings, red for errors. With dump_file_name, the events around each log line (dump_range_ms before and after, 1000 by default) are then written to that file. With -pc, the container name is shown too."
short_description = "Lines written to log files, optionally saving the events around each one to a file"
category = "Logs"
args = {
	{ name = "dump_file_name", description = "File to write the events around each log line to", argtype = "string", optional = true },
	{ name = "dump_range_ms", description = "Milliseconds saved before and after each log line (default 1000)", argtype = "int", optional = true },
	{ name = "disable_color", description = "Pass 'disable_color' to print without colors", argtype = "string", optional = true },
}

require "common"
local term = require "ansiterminal"
term.enable_color(true)
local dump = require("log_dump").new()

local LOG_FILES = "(fd.name contains .log or fd.name contains _log or fd.name contains /var/log) and not (fd.name contains .gz or fd.name contains .tgz)"

local tty, with_container
local f = {}

function on_set_arg(name, val)
	if dump:set_arg(name, val) then return true end
	if name == "disable_color" and val == "disable_color" then term.enable_color(false) return true end
	return false
end

function on_init()
	f.buf = chisel.request_field("evt.buffer")
	f.tid = chisel.request_field("thread.tid")
	f.proc = chisel.request_field("proc.name")
	f.fd = chisel.request_field("fd.name")
	f.cname = chisel.request_field("container.name")
	with_container = sysdig.is_print_container_data()
	sysdig.set_snaplen(2000)
	sysdig.set_output_format("ascii")
	chisel.set_filter("(" .. LOG_FILES .. ") and evt.is_io_write=true and evt.dir=< and evt.failed=false")
	tty = sysdig.is_tty()
	return true
end

function on_capture_start()
	return dump:capture_start()
end

local function line_color(msg)
	if string.find(string.lower(msg), "warn") ~= nil then return term.yellow end
	if string.find(msg, "err") then return term.red end
	return term.green
end

function on_event()
	local buf = evt.field(f.buf)
	local cname = evt.field(f.cname)
	local prefix = evt.field(f.proc) .. " " .. evt.field(f.fd) .. " "
	for _, msg in ipairs(split(buf, "\n")) do
		if #msg > 0 then
			local out
			if tty then
				local color = line_color(msg)
				if with_container then
					local c = string.format("%s %s", (cname ~= "host") and term.blue or color, cname)
					out = string.format("%s %s %s", color, c, string.format("%s %s%s", color, prefix, msg))
				else
					out = string.format("%s %s%s", color, prefix, msg)
				end
			elseif with_container then
				out = string.format("%s %s%s", cname, prefix, msg)
			else
				out = prefix .. msg
			end
			print(out)
		end
	end
	if dump.file then dump:mark(evt.field(f.tid)) end
	return true
end

function on_capture_end()
	if tty then print(term.reset) end
	dump:finish()
end
