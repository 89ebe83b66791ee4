-- scry chisel: httplog
description = "Prints one line per HTTP request answered during the capture: time, direction, method, URL, response code, latency and response size. With -pc, the container name is shown too."
short_description = "One line per HTTP request"
category = "Application"
args = {}

local http = require "scry_http"
local with_container

function on_init()
	http.init()
	with_container = sysdig.is_print_container_data()
	return true
end

local function log(tr)
	local where = with_container and (" " .. tr.container .. " ") or " "
	print(string.format("%s%s%s method=%s url=%s response_code=%d latency=%dms size=%dB", http.datetime(), where, tr.dir,
		tr.request.method, tr.request.url, tr.response.code, (tr.response.ts - tr.request.ts) / 1000000, tr.response.length))
end

function on_event()
	http.feed(log)
end
