--[==[
JSON for chisels (scry's own implementation of the dkjson interface).

  json.encode(value [, { indent = true }])  -> text
  json.decode(text [, pos [, nullval]])     -> value, next position | nil, pos, message
  json.null                                 -> a value that encodes as null

Layout: arrays on one line; with `indent`, each object member on its own
line indented by two blanks per level. Tables whose keys are 1..n (holes
allowed unless sparse) are arrays; object members come in sorted key order.
--]==]

local json = { version = "scry-json 1.0" }

local sfmt, sbyte, schar, ssub, srep = string.format, string.byte, string.char, string.sub, string.rep
local concat = table.concat
local huge = math.huge

json.null = setmetatable({}, { __tojson = function() return "null" end })

local ESC = { ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }

local function quote(s)
	local out = s:gsub('[%z\1-\31"\\\127]', function(c)
		return ESC[c] or sfmt("\\u%.4x", sbyte(c))
	end)
	return '"' .. out .. '"'
end
json.quotestring = quote

-- Array length, or nil when t is an object.
local function array_len(t)
	local max, n, declared = 0, 0, 0
	for k, v in pairs(t) do
		if k == "n" and type(v) == "number" then
			declared = v
			if v > max then max = v end
		elseif type(k) == "number" and k >= 1 and math.floor(k) == k then
			if k > max then max = k end
			n = n + 1
		else
			return nil
		end
	end
	if max > 10 and max > declared and max > n * 2 then return nil end
	return max
end

local function key_order(a, b)
	local ta, tb = type(a), type(b)
	if ta ~= tb then return ta == "number" end
	return a < b
end

local encode_value

local function newline(buf, level)
	buf[#buf + 1] = "\n" .. srep("  ", level)
end

encode_value = function(v, indent, level, buf, seen)
	local t = type(v)
	local mt = getmetatable(v)
	if type(mt) == "table" and mt.__tojson then
		local r = mt.__tojson(v, { indent = indent, level = level })
		if type(r) == "string" then buf[#buf + 1] = r end
		return true
	end
	if v == nil then
		buf[#buf + 1] = "null"
	elseif t == "number" then
		if v ~= v or v >= huge or -v >= huge then
			buf[#buf + 1] = "null"
		else
			buf[#buf + 1] = tostring(v)
		end
	elseif t == "boolean" then
		buf[#buf + 1] = v and "true" or "false"
	elseif t == "string" then
		buf[#buf + 1] = quote(v)
	elseif t == "table" then
		if seen[v] then return nil, "reference cycle" end
		seen[v] = true
		local n = array_len(v)
		if n == 0 and type(mt) == "table" and mt.__jsontype == "object" then n = nil end
		if n then
			buf[#buf + 1] = "["
			for i = 1, n do
				local ok, err = encode_value(v[i], indent, level + 1, buf, seen)
				if not ok then return nil, err end
				if i < n then buf[#buf + 1] = "," end
			end
			buf[#buf + 1] = "]"
		else
			local keys = {}
			for k in pairs(v) do
				local kt = type(k)
				if kt ~= "string" and kt ~= "number" then
					return nil, "type '" .. kt .. "' is not supported as a key by JSON."
				end
				keys[#keys + 1] = k
			end
			table.sort(keys, key_order)
			buf[#buf + 1] = "{"
			for i, k in ipairs(keys) do
				if i > 1 then buf[#buf + 1] = "," end
				if indent then newline(buf, level + 1) end
				buf[#buf + 1] = quote(tostring(k)) .. ":"
				local ok, err = encode_value(v[k], indent, level + 1, buf, seen)
				if not ok then return nil, err end
			end
			if indent then newline(buf, level) end
			buf[#buf + 1] = "}"
		end
		seen[v] = nil
	else
		return nil, "type '" .. t .. "' is not supported by JSON."
	end
	return true
end

function json.encode(value, state)
	state = state or {}
	local buf = {}
	local ok, err = encode_value(value, state.indent, state.level or 0, buf, {})
	if not ok then error(err, 2) end
	return concat(buf)
end

-- Decoding -------------------------------------------------------------------

local function skip(s, i)
	local _, e = s:find("^[ \n\r\t]*", i)
	return e + 1
end

local function utf8char(c)
	if c < 0x80 then return schar(c) end
	if c < 0x800 then return schar(0xc0 + math.floor(c / 0x40), 0x80 + c % 0x40) end
	if c < 0x10000 then
		return schar(0xe0 + math.floor(c / 0x1000), 0x80 + math.floor(c / 0x40) % 0x40, 0x80 + c % 0x40)
	end
	return schar(0xf0 + math.floor(c / 0x40000), 0x80 + math.floor(c / 0x1000) % 0x40,
		0x80 + math.floor(c / 0x40) % 0x40, 0x80 + c % 0x40)
end

local decode_value

local function decode_string(s, i)
	local out = {}
	local j = i + 1
	while true do
		local c = ssub(s, j, j)
		if c == "" then return nil, i, "unterminated string" end
		if c == '"' then return concat(out), j + 1 end
		if c == "\\" then
			local e = ssub(s, j + 1, j + 1)
			local simple = { b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/" }
			if simple[e] then
				out[#out + 1] = simple[e]
				j = j + 2
			elseif e == "u" then
				local hex = ssub(s, j + 2, j + 5)
				local c1 = tonumber(hex, 16)
				if not c1 then return nil, j, "invalid unicode escape" end
				j = j + 6
				if c1 >= 0xd800 and c1 < 0xdc00 and ssub(s, j, j + 1) == "\\u" then
					local c2 = tonumber(ssub(s, j + 2, j + 5), 16)
					if c2 and c2 >= 0xdc00 and c2 < 0xe000 then
						c1 = 0x10000 + (c1 - 0xd800) * 0x400 + (c2 - 0xdc00)
						j = j + 6
					end
				end
				out[#out + 1] = utf8char(c1)
			else
				return nil, j, "invalid escape"
			end
		else
			out[#out + 1] = c
			j = j + 1
		end
	end
end

decode_value = function(s, i, nullval)
	i = skip(s, i)
	local c = ssub(s, i, i)
	if c == "{" then
		local obj = {}
		i = skip(s, i + 1)
		if ssub(s, i, i) == "}" then return obj, i + 1 end
		while true do
			i = skip(s, i)
			if ssub(s, i, i) ~= '"' then return nil, i, "object key expected" end
			local k, ni, err = decode_string(s, i)
			if k == nil then return nil, ni, err end
			i = skip(s, ni)
			if ssub(s, i, i) ~= ":" then return nil, i, "':' expected" end
			local v
			v, i, err = decode_value(s, i + 1, nullval)
			if err then return nil, i, err end
			obj[k] = v
			i = skip(s, i)
			local d = ssub(s, i, i)
			if d == "}" then return obj, i + 1 end
			if d ~= "," then return nil, i, "',' or '}' expected" end
			i = i + 1
		end
	elseif c == "[" then
		local arr = {}
		i = skip(s, i + 1)
		if ssub(s, i, i) == "]" then return arr, i + 1 end
		local n = 0
		while true do
			local v, ni, err = decode_value(s, i, nullval)
			if err then return nil, ni, err end
			n = n + 1
			arr[n] = v
			i = skip(s, ni)
			local d = ssub(s, i, i)
			if d == "]" then return arr, i + 1 end
			if d ~= "," then return nil, i, "',' or ']' expected" end
			i = i + 1
		end
	elseif c == '"' then
		return decode_string(s, i)
	end
	local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", i)
	if num and num ~= "" and num ~= "-" then
		return tonumber(num), i + #num
	end
	if ssub(s, i, i + 3) == "true" then return true, i + 4 end
	if ssub(s, i, i + 4) == "false" then return false, i + 5 end
	if ssub(s, i, i + 3) == "null" then return nullval, i + 4 end
	return nil, i, "unexpected character"
end

function json.decode(s, pos, nullval)
	local v, i, err = decode_value(s, pos or 1, nullval)
	if err then return nil, i, err end
	return v, i
end

function json.use_lpeg() return json end

return json
