--[[
Shared engine of scry's "top" chisels: group the events that pass a filter
by one or more fields, add up a value per group, and print the groups with
the largest totals at the end of the capture (every second when live).

  local top = require "scry_top"
  top.chisel {
    keys = { "proc.name", "proc.pid" },     -- grouping fields
    key_names = { "Process", "PID" },       -- column titles
    value = "evt.rawarg.res",               -- field to add up ("evt.count" counts)
    value_name = "Bytes",
    units = "bytes",                        -- bytes | time | timepct | none
    filter = "fd.type=file and evt.is_io=true",
    limit = 10,                             -- rows shown (0: all)
    container = { ... },                    -- overrides used under -pc
  }

A spec may also give `scale` (the value is multiplied by it and added even
when zero: CPU shares) instead of the default rule (positive values only).
--]]

require "common"
local terminal = require "ansiterminal"

local M = {}

function M.chisel(spec)
	local cfg = spec
	local totals = {}
	local key_fields = {}
	local value_field
	local live = false
	local view
	local group
	local function current()
		if group then return scry.group_totals(group) end
		return totals
	end
	local function reset()
		if group then scry.group_reset(group) end
		totals = {}
	end

	local function make_view()
		return {
			key_fld = cfg.keys,
			key_desc = cfg.key_names,
			value_fld = cfg.value_title_field or cfg.value,
			value_desc = cfg.value_name,
			value_units = cfg.units,
			top_number = cfg.limit,
			output_format = "normal",
		}
	end
	-- Chisels whose sysdig original describes its table when loaded still
	-- print its header when the run ends before on_init (a filter sysdig
	-- cannot compile); the others print nothing then.
	if spec.view_at_load then view = make_view() end

	function on_init()
		if spec.container and sysdig.is_print_container_data() then
			cfg = setmetatable(spec.container, { __index = spec })
		end
		-- (the view exists before the fields are looked up: a bad field
		-- still ends with an empty table, as with sysdig)
		view = make_view()
		for i, name in ipairs(cfg.keys) do
			key_fields[i] = chisel.request_field(name)
		end
		value_field = chisel.request_field(cfg.value)
		if cfg.filter and cfg.filter ~= "" then
			chisel.set_filter(cfg.filter)
		end
		-- Under scry, the grouping loop below runs natively. (on_init runs
		-- again for each file of several -r: the totals go on, as sysdig's
		-- table does.)
		if scry and scry.group_by and not group then
			group = scry.group_by(key_fields, value_field, cfg.scale)
		end
		return true
	end

	function on_capture_start()
		live = sysdig.is_live()
		view.output_format = sysdig.get_output_format()
		if live then
			chisel.set_interval_s(1)
			if view.output_format ~= "json" then
				terminal.clearscreen()
				terminal.hidecursor()
			end
		end
		return true
	end

	local scale = cfg.scale

	function on_event()
		local key
		for i = 1, #key_fields do
			local v = evt.field(key_fields[i])
			if v == nil then return end
			if key == nil then key = v else key = key .. KEY_SEP .. v end
		end
		local v = evt.field(value_field)
		if scale then
			totals[key] = (totals[key] or 0) + v * scale
		elseif v ~= nil and v > 0 then
			totals[key] = (totals[key] or 0) + v
		end
		return true
	end

	function on_interval(ts_s, ts_ns, delta)
		if view.output_format ~= "json" then
			terminal.clearscreen()
			terminal.moveto(0, 0)
		end
		print_sorted_table(current(), ts_s, 0, delta, view)
		reset()
		return true
	end

	function on_capture_end(ts_s, ts_ns, delta)
		if live and view.output_format ~= "json" then
			terminal.clearscreen()
			terminal.moveto(0, 0)
			terminal.showcursor()
			return true
		end
		print_sorted_table(current(), ts_s, 0, delta, view)
		return true
	end
end

return M
