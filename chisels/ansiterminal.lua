--[[
Terminal escape sequences for chisels: color strings (empty until
enable_color(true) is called, and after enable_color(false)) and cursor
and screen controls written straight to the output.
--]]

local M = {}

local ESC = string.char(27) .. "["

local CODES = {
	reset = 0, clear = 0, bright = 1, dim = 2, underscore = 4, blink = 5, reverse = 7, hidden = 8,
	black = 30, red = 31, green = 32, yellow = 33, blue = 34, magenta = 35, cyan = 36, white = 37,
	onblack = 40, onred = 41, ongreen = 42, onyellow = 43, onblue = 44, onmagenta = 45, oncyan = 46, onwhite = 47,
}

function M.enable_color(on)
	for name, code in pairs(CODES) do
		if on == true then
			M[name] = ESC .. code .. "m"
		else
			M[name] = ""
		end
	end
end

local function out(s) io.write(ESC .. s) end

function M.clearscreen() out("2J") end
function M.moveto(x, y) out(tostring(x) .. ";" .. tostring(y) .. "H") end
function M.moveup(n) out(tostring(n) .. "F") end
function M.clearline() out("2K") end
function M.hidecursor() out("?25l") end
function M.showcursor() out("?25h") end
function M.setfgcol(c) out("38;5;" .. c .. "m") end
function M.setbgcol(c) out("48;5;" .. c .. "m") end

return M
