-- scry chisel: spectrogram
description = "A terminal heat map of system call latencies: one row per period (half a second by default, or refresh_time milliseconds), whose columns are latencies on a logarithmic scale from 1 ns on the left to 100 s on the right. A cell's color says how many calls of that latency returned in the period: black for none, then from green (a few tens per second) through yellow (hundreds) to red (thousands), so red areas are latencies many calls have. Combine it with a filter to look at one process, one kind of I/O or one file system. Needs an ANSI terminal."
short_description = "Heat map of system call latencies over time"
category = "CPU Usage"
args = {
	{ name = "refresh_time", description = "Length of a row, in milliseconds (default 500)", argtype = "int", optional = true },
}

require "common"
local term = require "ansiterminal"
term.enable_color(true)
local heatmap = require "heatmap"

-- Decades of nanoseconds the row spans (10^11 ns = 100 s).
local DECADES = 11

local period_ns = 500000000
local per_sec = 2
local width
local counts = {}
local latency
local tty

function on_set_arg(name, val)
	if name ~= "refresh_time" then return false end
	period_ns, per_sec = heatmap.period(val, name)
	return true
end

function on_init()
	width = heatmap.terminal_width()
	tty = width ~= nil
	if not tty then return false end
	chisel.set_filter("evt.dir=<")
	latency = chisel.request_field("evt.latency")
	term.hidecursor()
	return true
end

function on_capture_start()
	chisel.set_interval_ns(period_ns)
	return true
end

function on_event()
	local ns = evt.field(latency)
	if ns == 0 then return true end
	-- Column 1 .. width + 1 by the decimal logarithm of the latency.
	local decade = math.min(math.log10(ns), DECADES)
	local col = math.floor(decade * width / DECADES) + 1
	counts[col] = (counts[col] or 0) + 1
	return true
end

local function empty_cell()
	term.setfgcol(0)
	term.setbgcol(0)
end

local function draw()
	heatmap.draw_row(counts, width, per_sec, empty_cell)
	-- The scale: the latency of each decade where it starts (labels may run past the row).
	local x = 0
	while x < width do
		local decade = math.floor(x * DECADES / width)
		if decade ~= math.floor((x - 1) * DECADES / width) then
			local label = format_time_interval(math.pow(10, decade))
			io.write("|" .. label)
			x = x + #label + 1
		else
			io.write(" ")
			x = x + 1
		end
	end
	io.write("\n")
	counts = {}
end

function on_interval()
	draw()
	return true
end

function on_capture_end()
	if tty then
		draw() -- the last, partial period
		print(term.reset)
		term.showcursor()
	end
	return true
end
