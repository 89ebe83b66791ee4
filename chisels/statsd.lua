--[[
scry chisel helper: a statsd client (require "statsd"), as chisels written
for sysdig use it: the module is a constructor,

    local statsd = require("statsd")({ host = "127.0.0.1", port = 8125, namespace = "app", packet_size = 508 })
    statsd:timer("db.query", 12.5)        -- db.query:12.5|ms
    statsd:increment("hits")              -- hits:1|c
    statsd:gauge({ cpu = 3, mem = 7 })    -- several stats, packed into datagrams of up to packet_size bytes

which points the chisel's UDP socket (sysdig.udp_setpeername) at the
server; each metric goes out as "[namespace.]name:value|type[|@rate]"
through sysdig.udp_send. A sample rate below 1 sends that fraction of the
calls, at random. Not a chisel: it has no args table.
--]]

math.randomseed(os.time())

-- ':', '|' and '@' separate the parts of a metric: not allowed in its name.
local function metric(self, name, value, kind, rate)
	local text = string.gsub(name, "[:|@]", "_")
	if self.namespace ~= nil then text = self.namespace .. "." .. text end
	text = text .. ":" .. value .. "|" .. kind
	if rate ~= 1 then text = text .. "|@" .. rate end
	return text
end

local function send_to_socket(self, text)
	return sysdig.udp_send(text)
end

-- One metric (stat a name), or several (stat a table of name = value; for
-- counters also a list of names counted once each): then the third argument
-- is the sample rate. neg negates the values of a table of counters.
local function send(self, stat, value, kind, rate, neg)
	local many = type(stat) == "table"
	if many then rate = value end
	rate = rate or 1
	if not (rate == 1 or math.random() <= rate) then return end
	if not many then
		return self:send_to_socket(metric(self, stat, value, kind, rate))
	end
	local lines, bytes = {}, 0
	for name, v in pairs(stat) do
		if kind == "c" then
			if type(name) == "number" then name, v = v, 1 end
			if neg then v = -v end
		end
		local line = metric(self, name, v, kind, rate)
		bytes = bytes + #line
		-- A datagram is sent before the line that would take it past
		-- packet_size (the new datagram's count starts after that line).
		if #lines > 0 and bytes > self.packet_size then
			self:send_to_socket(table.concat(lines, "\n"))
			lines, bytes = {}, 0
		end
		lines[#lines + 1] = line
	end
	return self:send_to_socket(table.concat(lines, "\n"))
end

local function counter_of(self, stat, value, rate, neg)
	return self:send(stat, value, "c", rate, neg)
end

local client = {
	send = send,
	send_to_socket = send_to_socket,
	-- a value the server keeps as it is
	gauge = function(self, stat, value, rate) return self:send(stat, value, "g", rate) end,
	-- a change the server adds to its count
	counter = function(self, stat, value, rate) return counter_of(self, stat, value, rate) end,
	increment = function(self, stat, value, rate) return counter_of(self, stat, value or 1, rate, false) end,
	decrement = function(self, stat, value, rate)
		value = value or 1
		if type(stat) == "string" then value = -value end
		return counter_of(self, stat, value, rate, true)
	end,
	-- a duration in milliseconds
	timer = function(self, stat, ms) return self:send(stat, ms, "ms") end,
	-- a value whose distribution the server computes
	histogram = function(self, stat, value) return self:send(stat, value, "h") end,
	-- events whose rate the server computes
	meter = function(self, stat, value) return self:send(stat, value, "m") end,
}

return function(options)
	options = options or {}
	sysdig.udp_setpeername(options.host or "127.0.0.1", options.port or 8125)
	local c = {
		namespace = options.namespace,
		-- the largest datagram every IPv4 path carries (RFC 791's 576 bytes less the headers)
		packet_size = options.packet_size or 508,
	}
	for k, f in pairs(client) do c[k] = f end
	return c
end
