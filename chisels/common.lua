--[[
scry chisel helpers.

The global functions below are the helper set chisels written for sysdig
expect to find after `require "common"` (string padding, byte and time
formatting, sorted iteration, the "top" table printer). scry's own chisels
use them too. Deterministic throughout: ties are broken by key.
--]]

local fmt = string.format
local floor = math.floor

local NS_PER_S = 1000000000
local NS_PER_MS = 1000000
local NS_PER_US = 1000
ONE_S_IN_NS = NS_PER_S
ONE_MS_IN_NS = NS_PER_MS
ONE_US_IN_NS = NS_PER_US

-- Key separator used by chisels that group by several fields.
KEY_SEP = "\001\001"

-- Renders any value as Lua-ish text (tables recursively).
function st(val, name, skipnewlines, depth)
	depth = depth or 0
	local nl = skipnewlines and "" or "\n"
	local out = { string.rep(" ", depth) }
	if name then out[#out + 1] = name .. " = " end
	local t = type(val)
	if t == "table" then
		out[#out + 1] = "{" .. nl
		for k, v in pairs(val) do
			out[#out + 1] = st(v, k, skipnewlines, depth + 1) .. "," .. nl
		end
		out[#out + 1] = string.rep(" ", depth) .. "}"
	elseif t == "number" then
		out[#out + 1] = tostring(val)
	elseif t == "string" then
		out[#out + 1] = fmt("%q", val)
	elseif t == "boolean" then
		out[#out + 1] = val and "true" or "false"
	else
		out[#out + 1] = "\"[inserializeable datatype:" .. t .. "]\""
	end
	return table.concat(out)
end

-- Pads s with blanks to width n; a string that does not fit is cut to
-- n - 1 characters and followed by one blank.
function extend_string(s, n)
	local len = #s
	if len < n then
		return s .. string.rep(" ", n - len)
	end
	if n > 0 then
		return s:sub(1, n - 1) .. " "
	end
	return ""
end

-- Splits s on a literal separator (empty fields kept).
function split(s, sep)
	s = tostring(s)
	local parts = {}
	local from = 1
	local slen = #sep
	while true do
		local i = string.find(s, sep, from, true)
		if not i then break end
		parts[#parts + 1] = s:sub(from, i - 1)
		from = i + slen
	end
	parts[#parts + 1] = s:sub(from)
	return parts
end

function starts_with(s, prefix)
	return prefix == "" or s:sub(1, #prefix) == prefix
end

function ends_with(s, suffix)
	return suffix == "" or s:sub(-#suffix) == suffix
end

local KB = 1024
local UNITS = {
	{ KB * KB * KB * KB * KB, "P" },
	{ KB * KB * KB * KB, "T" },
	{ KB * KB * KB, "G" },
	{ KB * KB, "M" },
	{ KB, "KB" },
}

-- 1230 -> "1.20KB"; up to 1024 -> "N B" without decimals.
function format_bytes(val)
	for _, u in ipairs(UNITS) do
		if val > u[1] then
			return fmt("%.2f%s", val / u[1], u[2])
		end
	end
	return fmt("%dB", val)
end

-- Nanoseconds as the most readable of s, ms, us, ns.
function format_time_interval(val)
	if val >= NS_PER_S then
		return fmt("%u.%02us", floor(val / NS_PER_S), (val % NS_PER_S) / 10000000)
	elseif val >= NS_PER_S / 100 then
		return fmt("%ums", floor(val / NS_PER_MS))
	elseif val >= NS_PER_MS then
		return fmt("%u.%02ums", floor(val / NS_PER_MS), (val % NS_PER_MS) / 10000)
	elseif val >= NS_PER_US * 10 then
		return fmt("%uus", floor(val / NS_PER_US))
	elseif val >= NS_PER_US then
		return fmt("%u.%02uus", floor(val / NS_PER_US), (val % NS_PER_US) / 10)
	end
	return fmt("%uns", val)
end

-- Orders two keys of any type: numbers before strings, then by value.
local function key_less(a, b)
	local ta, tb = type(a), type(b)
	if ta ~= tb then
		if ta == "number" then return true end
		if tb == "number" then return false end
		return ta < tb
	end
	if ta == "number" or ta == "string" then return a < b end
	return tostring(a) < tostring(b)
end
compare_keys = key_less

-- Iterates over the `num` first entries of t (all when num is 0) in the
-- order given by order(t, a, b); entries order() does not separate come as
-- sysdig's Lua leaves them when the keys are numbers, else in key order.
function pairs_top_by_val(t, num, order)
	local keys = {}
	local numbers = true
	for k in pairs(t) do
		keys[#keys + 1] = k
		if type(k) ~= "number" then numbers = false end
	end
	if numbers then
		-- number keys come out of pairs() in the order sysdig's Lua (LuaJIT)
		-- walks them, and table.sort is its quicksort: entries that tie come
		-- out as sysdig prints them
		table.sort(keys, function(a, b) return order(t, a, b) end)
	else
		-- string keys: LuaJIT's order depends on when each string was made,
		-- which nothing here can follow; ties are broken by key instead
		table.sort(keys, function(a, b)
			if order(t, a, b) then return true end
			if order(t, b, a) then return false end
			return key_less(a, b)
		end)
	end
	local i = 0
	return function()
		i = i + 1
		if (num == 0 or i <= num) and keys[i] ~= nil then
			return keys[i], t[keys[i]]
		end
	end
end

-- A timestamp from its seconds and nanoseconds.
function ts_to_str(sec, ns)
	return fmt("%u%.9u", sec, ns)
end

local json

local function value_text(v, units, timedelta)
	if units == "bytes" then
		return format_bytes(v)
	elseif units == "time" then
		return format_time_interval(v)
	elseif units == "timepct" then
		if timedelta > 0 then
			return fmt("%.2f%%", v / timedelta * 100)
		end
		return "0.00%"
	elseif units == "none" then
		return tostring(v)
	end
	return nil
end

-- Prints a key -> value table sorted by value (highest first), as a text
-- table or, under -j, as one JSON document.
function print_sorted_table(stable, ts_s, ts_ns, timedelta, viz_info)
	local rows = pairs_top_by_val(stable, viz_info.top_number, function(t, a, b) return t[b] < t[a] end)
	if viz_info.output_format == "json" then
		json = json or require("dkjson")
		local data = {}
		for k, v in rows do
			local cols = split(k, KEY_SEP)
			cols[#cols + 1] = v
			data[#data + 1] = cols
		end
		local info = {}
		for i, name in ipairs(viz_info.key_fld) do
			info[i] = { name = name, desc = viz_info.key_desc[i], is_key = true }
		end
		info[3] = { name = viz_info.value_fld, desc = viz_info.value_desc, is_key = false }
		print(json.encode({ ts = sysdig.make_ts(ts_s, ts_ns), data = data, info = info }, { indent = true }))
		return
	end

	local W = 20
	local head = { extend_string(viz_info.value_desc, W) }
	for _, d in ipairs(viz_info.key_desc) do head[#head + 1] = extend_string(d, W) end
	print(table.concat(head))
	print(string.rep("-", 80))
	for k, v in rows do
		local cols = split(tostring(k), KEY_SEP)
		local line = {}
		local n = #cols
		for i = 1, n - 1 do
			line[i] = extend_string(cols[i]:sub(1, W), W)
		end
		line[n] = cols[n]
		local vt = value_text(v, viz_info.value_units, timedelta)
		if vt then
			print(extend_string(vt, W) .. table.concat(line))
		end
	end
end

-- tonumber() or stop the run with a message.
function parse_numeric_input(value, name)
	local n = tonumber(value)
	if n == nil then
		print(fmt("Input %s must be a number.", name))
		os.exit()
	end
	val = n
	return n
end

-- Deep copy (metatables included).
function copytable(orig)
	if type(orig) ~= "table" then return orig end
	local copy = {}
	for k, v in next, orig, nil do
		copy[copytable(k)] = copytable(v)
	end
	return setmetatable(copy, copytable(getmetatable(orig)))
end

-- Appends the array part of src to dst.
function concattable(dst, src)
	for i = 1, #src do dst[#dst + 1] = src[i] end
	return dst
end

-- type(), or the _NAME of the value's metatable when it has one.
function typeof(var)
	local t = type(var)
	if t ~= "table" and t ~= "userdata" then return t end
	local mt = getmetatable(var)
	if mt ~= nil and mt._NAME ~= nil then return mt._NAME end
	return t
end
