--[[
Shared engine of the "state at one point" chisels (lsof, ps, netstat,
lscontainers): the capture stops at the first event that passes the
filter, and the chisel prints the system state as it was then.
--]]

local M = {}

-- report(ts_s, ts_ns, delta) prints the state; `quiet_when_empty` skips the
-- "no event" message (lscontainers).
function M.chisel(report, opts)
	opts = opts or {}
	local started, matched = false, false

	function on_init() return true end

	function on_capture_start()
		started = true
		return true
	end

	function on_event()
		sysdig.end_capture()
		matched = true
		return opts.event_result or false
	end

	function on_capture_end(ts_s, ts_ns, delta)
		if not started then return end
		if not matched and not opts.quiet_when_empty then
			print("empty capture or no event matching the filter")
			return
		end
		report(ts_s, ts_ns, delta)
	end
end

-- Thread ids in increasing order.
function M.sorted_keys(t)
	local ks = {}
	for k in pairs(t) do ks[#ks + 1] = k end
	table.sort(ks)
	return ks
end

return M
