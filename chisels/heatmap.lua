--[[
scry chisel helper: the terminal heat maps of spectrogram and subsecoffset.
A row is a line of colored cells; a cell's color grows from green through
yellow to red with the decimal logarithm of its count per second, and a
shading character blends the two colors it falls between. Not a chisel:
it has no args table.
--]]

require "common"
local term = require "ansiterminal"

local M = {}

-- 256-color palette from cold to hot, and the shading characters.
local COLORS = { 22, 28, 64, 34, 2, 76, 46, 118, 154, 191, 227, 226, 11, 220, 209, 208, 202, 197, 9, 1 }
local SHADES = { " ", "\226\150\145", "\226\150\146", "\226\150\145" }

-- refresh_time (milliseconds) as a row's length in ns and rows per second;
-- a value that is not a number ends the run (parse_numeric_input).
function M.period(val, name)
	local ns = parse_numeric_input(val, name) * 1000000
	return ns, 1000000000 / ns
end

-- For on_init: the terminal's width, or nil (after saying so) when the
-- output is not a terminal.
function M.terminal_width()
	if not sysdig.is_tty() then
		print("This chisel only works on ANSI terminals. Aborting.")
		return nil
	end
	return sysdig.get_terminal_info().width
end

-- Foreground, background and character of a cell of n events, per_sec
-- rows a second: the fraction between two colors picks the shading
-- character (above 3/4, the colors swap over a light shade).
function M.cell(n, per_sec)
	local c = math.log10(n * per_sec + 1) / math.log10(1.6)
	if c < 1 then c = 1 elseif c > #COLORS then c = #COLORS end
	local lo, hi = math.floor(c), math.ceil(c)
	local frac = c - lo
	local ch = SHADES[math.floor(1 + frac * #SHADES)]
	if frac > .75 then return COLORS[hi], COLORS[lo], ch end
	return COLORS[lo], COLORS[hi], ch
end

-- Draws counts[1 .. width] as a row over the line above, then resets the
-- colors and ends the line; empty() writes the escapes of an empty cell.
function M.draw_row(counts, width, per_sec, empty)
	term.moveup(1)
	for x = 1, width do
		local n = counts[x]
		local ch = " "
		if n == nil or n == 0 then
			empty()
		else
			local fg, bg
			fg, bg, ch = M.cell(n, per_sec)
			term.setfgcol(fg)
			term.setbgcol(bg)
		end
		io.write(ch)
	end
	io.write(term.reset .. "\n")
end

return M
