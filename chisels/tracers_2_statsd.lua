-- scry chisel: tracers_2_statsd
description = "Sends the duration of every span that ends (exit tracer events) to a statsd server as a timer, in milliseconds, named after the span's tags joined with dots (outer.inner:12.017173|ms). The server is 127.0.0.1:8125 unless server_addr and server_port say otherwise. Tracers are the '>:id:tags:args:' and '<:...' lines programs write to /dev/null."
short_description = "Span durations as statsd timers"
category = "Tracers"
args = {
	{ name = "server_addr", description = "IPv4 address of the statsd server (default 127.0.0.1)", argtype = "string", optional = true },
	{ name = "server_port", description = "UDP port of the statsd server (default 8125)", argtype = "string", optional = true },
}

local new_statsd = require "statsd"
local server = { host = "127.0.0.1", port = 8125 }
local statsd
local f = {}

function on_set_arg(name, val)
	if name == "server_addr" then server.host = val return true end
	if name == "server_port" then server.port = val return true end
	return false
end

function on_init()
	statsd = new_statsd(server)
	f.tags = chisel.request_field("span.tags")
	f.duration = chisel.request_field("span.duration")
	chisel.set_filter("evt.type=tracer and evt.dir=<")
	return true
end

function on_event()
	local tags, ns = evt.field(f.tags), evt.field(f.duration)
	if tags ~= nil and ns ~= nil then statsd:timer(tags, tonumber(ns) / 1000000) end
	return true
end
