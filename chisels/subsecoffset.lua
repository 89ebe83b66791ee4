-- scry chisel: subsecoffset
description = "A terminal heat map of when, within each period, system calls start: one row per period (one second by default, or refresh_time milliseconds), whose columns split the period from its start on the left to its end on the right. A cell's color says how many calls began in that slice: black for none, then from green (a few tens per second) through yellow (hundreds) to red (thousands). Work that repeats at a fixed point of every second, hidden in per-second averages, shows as a vertical stripe. Combine it with a filter to look at one process or kind of call. Needs an ANSI terminal."
short_description = "Heat map of system call start times within each second"
category = "CPU Usage"
args = {
	{ name = "refresh_time", description = "Length of a row, in milliseconds (default 1000)", argtype = "int", optional = true },
}

require "common"
local term = require "ansiterminal"
term.enable_color(true)
local heatmap = require "heatmap"

local period_ns = 1000000000
local per_sec = 1
local width
local label_room
local counts = {}
local rawtime
local tty

function on_set_arg(name, val)
	if name ~= "refresh_time" then return false end
	period_ns, per_sec = heatmap.period(val, name)
	return true
end

-- The period's label for a tenth k of the row, in milliseconds.
local function label_ms(k)
	return k * period_ns / 10000000
end

function on_init()
	width = heatmap.terminal_width()
	tty = width ~= nil
	if not tty then return false end
	label_room = #("|" .. label_ms(0.9) .. "ms")
	chisel.set_filter("evt.dir=>")
	rawtime = chisel.request_field("evt.rawtime")
	term.hidecursor()
	print("Tracing syscalls... red (hot) == high frequency <-> green == low frequency.\n")
	return true
end

function on_capture_start()
	chisel.set_interval_ns(period_ns)
	return true
end

function on_event()
	-- The column of the call's start within its period (0 .. width - 1;
	-- the row draws columns 1 .. width).
	local col = math.floor((evt.field(rawtime) * 1000 / period_ns) % 1000 / 1000 * width)
	counts[col] = (counts[col] or 0) + 1
	return true
end

-- An empty cell sets the background only, twice: the foreground stays as it was.
local function empty_cell()
	term.setbgcol(0)
	term.setbgcol(0)
end

function on_interval()
	heatmap.draw_row(counts, width, per_sec, empty_cell)
	-- The scale: a label at each tenth of the row where one fits.
	local x = 0
	while x < width do
		if math.floor(x * 10 / width) ~= math.floor((x - 1) * 10 / width) and x <= width - label_room then
			local label = "|" .. label_ms(math.floor(10 * x / width)) .. "ms"
			io.write(label)
			x = x + #label
		else
			io.write(" ")
			x = x + 1
		end
	end
	io.write("\n")
	counts = {}
	return true
end

function on_capture_end()
	if tty then
		print(term.reset)
		term.showcursor()
	end
	return true
end
