--[[
Shared engine of the iobytes chisels: add up the bytes read and written by
the I/O events that pass a filter, and print the totals every second of the
capture (time, bytes in, bytes out, total).
]]

local M = {}

function M.chisel(filter)
	local fbytes, ftime, fisread
	local total, rd, wr = 0, 0, 0

	function on_init()
		fbytes = chisel.request_field("evt.rawarg.res")
		ftime = chisel.request_field("evt.time.s")
		fisread = chisel.request_field("evt.is_io_read")
		chisel.set_filter(filter)
		chisel.set_interval_s(1)
		return true
	end

	function on_event()
		local n = evt.field(fbytes)
		if n ~= nil and n > 0 then
			total = total + n
			if evt.field(fisread) then rd = rd + n else wr = wr + n end
		end
		return true
	end

	-- Runs on the first event of each new second, whatever the filter: the
	-- time printed is that event's.
	function on_interval()
		print(evt.field(ftime) .. " in:" .. rd .. " out:" .. wr .. " tot:" .. total)
		total, rd, wr = 0, 0, 0
		return true
	end
end

return M
