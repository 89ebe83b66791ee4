-- scry chisel: topconns
description = "Lists the IPv4 and IPv6 connections that carried the most bytes, both directions together. With -pc, connections are grouped per container."
short_description = "Network connections moving the most bytes"
category = "Net"
args = {}

require("scry_top").chisel {
	keys = { "fd.l4proto", "fd.name" },
	key_names = { "Proto", "Conn" },
	value = "evt.rawarg.res", value_name = "Bytes", units = "bytes",
	filter = "(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true", limit = 30,
	container = {
		keys = { "container.name", "fd.l4proto", "fd.name" },
		key_names = { "container.name", "Proto", "Conn" },
	},
}
