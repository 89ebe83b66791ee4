-- scry chisel: httptop
description = "Lists the HTTP requests (method and URL) of the capture with the most calls, or with the most response bytes, or with the longest average latency."
short_description = "HTTP requests by calls, bytes or time"
category = "Application"
args = {
	{ name = "by", description = "ncalls (the default), bytes or time", argtype = "string", optional = true },
}

require "common"
local term = require "ansiterminal"
local http = require "scry_http"

local view = {
	key_fld = { "method", "url" },
	key_desc = { "method", "url" },
	value_fld = "ncalls", value_desc = "ncalls", value_units = "none",
	top_number = 30, output_format = "normal",
}
local by = "ncalls"
local UNITS = { ncalls = "none", bytes = "bytes", time = "time" }

function on_set_arg(name, val)
	if name ~= "by" then return nil end
	if not UNITS[val] then
		print("Invalid argument! Valid options: ncalls, bytes, time")
		return false
	end
	view.value_fld, view.value_desc, view.value_units = val, val, UNITS[val]
	by = val
	return true
end

local with_container
local live = false
local groups = {} -- key -> list of transactions

function on_init()
	http.init()
	with_container = sysdig.is_print_container_data()
	if with_container then
		table.insert(view.key_fld, 1, "container")
		table.insert(view.key_desc, 1, "container")
	end
	return true
end

local function add(tr)
	local key = string.format("%s\001\001%s", tr.request.method, tr.request.url)
	if with_container then key = tr.container .. "\001\001" .. key end
	local g = groups[key]
	if not g then g = {} groups[key] = g end
	g[#g + 1] = tr
end

function on_event()
	http.feed(add)
end

function on_capture_start()
	live = sysdig.is_live()
	view.output_format = sysdig.get_output_format()
	if live then
		chisel.set_interval_s(1)
		if view.output_format ~= "json" then
			term.clearscreen()
			term.hidecursor()
		end
	end
	return true
end

local function totals()
	local out = {}
	for key, trs in pairs(groups) do
		if by == "ncalls" then
			out[key] = #trs
		elseif by == "bytes" then
			local n = 0
			for _, tr in ipairs(trs) do n = n + tr.response.length end
			out[key] = n
		else
			local t = 0
			for _, tr in ipairs(trs) do t = t + tr.response.ts - tr.request.ts end
			out[key] = t / #trs
		end
	end
	return out
end

function on_interval(ts_s, ts_ns, delta)
	if view.output_format ~= "json" then
		term.clearscreen()
		term.moveto(0, 0)
	end
	print_sorted_table(totals(), ts_s, 0, delta, view)
	groups = {}
	return true
end

function on_capture_end(ts_s, ts_ns, delta)
	if live and view.output_format ~= "json" then
		term.clearscreen()
		term.moveto(0, 0)
		term.showcursor()
		return true
	end
	print_sorted_table(totals(), ts_s, 0, delta, view)
	return true
end
