--[[
Shared engine of spy_ip and spy_port: prints the payloads of socket I/O
matching a filter, with a header line each time the direction changes.
--]]

require "common"
local term = require "ansiterminal"
term.enable_color(true)

local M = {}

-- opts.filter(value) -> filter text; opts.write_word: word used on write headers.
function M.chisel(opts)
	local target
	function on_set_arg(name, val)
		if name == opts.arg then
			target = val
			return true
		elseif name == "disable_color" then
			if val == "disable_colors" then term.enable_color(false) end
			return true
		end
		return false
	end

	local fdata, fisread, fres
	function on_init()
		fdata = chisel.request_field("evt.arg.data")
		fisread = chisel.request_field("evt.is_io_read")
		fres = chisel.request_field("evt.rawarg.res")
		sysdig.set_snaplen(1000)
		chisel.set_filter(opts.filter(target))
		return true
	end

	local READ, WRITE = 1, 2
	local last_dir
	local header

	function on_event()
		local res = evt.field(fres)
		local data = evt.field(fdata)
		if res == nil or res <= 0 then return true end
		if data == nil then return true end
		local isread = evt.field(fisread)
		-- The header is only rebuilt when the direction changes: a run of
		-- reads (or writes) repeats the first header of the run.
		if isread and last_dir ~= READ then
			header = string.format("%s------ Read %s", term.red, format_bytes(res))
			last_dir = READ
		elseif not isread and last_dir ~= WRITE then
			header = string.format("%s------ %s %s", term.blue, opts.write_word, format_bytes(res))
			last_dir = WRITE
		end
		print(header)
		print(data)
		return true
	end

	function on_capture_end()
		print(term.reset)
	end
end

return M
