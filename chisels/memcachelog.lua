-- scry chisel: memcachelog
description = "Logs memcached text-protocol requests whose command starts with get or set (get, gets, set, ...) seen on port 11211 or in processes named memcached: the time, the command, the size the request declares (0 when it cannot be read) and the key. Give a method ('get' or 'set') to see only that command; with 'set SIZE', only sets of at least SIZE bytes. Usage: -c memcachelog, -c memcachelog get, -c memcachelog 'set 1000'."
short_description = "Log of memcached get and set requests"
category = "Application"
args = {
	{ name = "method", description = "Only this command: get or set", optional = true },
	{ name = "size", description = "With set: the smallest object size shown, in bytes", optional = true },
}

require "common"

local only_method, min_size

function on_set_arg(name, val)
	if name == "method" then only_method = val return true end
	if name == "size" then min_size = tonumber(val) return true end
	return false
end

local f = {}

function on_init()
	sysdig.set_filter("(fd.sport=11211 or proc.name=memcached) and evt.is_io=true")
	sysdig.set_snaplen(4096)
	f.data = chisel.request_field("evt.arg[1]")
	f.time = chisel.request_field("evt.datetime")
	return true
end

function on_event()
	local data = evt.field(f.data)
	if data == nil then return true end -- (an event with a single argument)
	-- the words of the request line, split at every single blank (empty words kept)
	local w = split(data, " ")
	local cmd, key = w[1], w[2]
	if string.find(cmd, "^[gs]et") == nil or key == nil then return true end
	-- "set KEY FLAGS EXPTIME BYTES ...": the declared size is the fifth word.
	local size = tonumber(w[5]) or 0
	if only_method ~= nil then
		if cmd ~= only_method then return true end
		-- (a 'set' without a size shows every set)
		if cmd == "set" and min_size ~= nil and size < min_size then return true end
	end
	print(string.format("%s method=%s size=%dB key=%s", evt.field(f.time), cmd, size, key))
	return true
end
