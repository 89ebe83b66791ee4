-- scry chisel: topports_server
description = "Lists the TCP and UDP server ports that carried the most bytes, both directions together. With -pc, ports are grouped per container."
short_description = "Server ports moving the most bytes"
category = "Net"
args = {}

require("scry_top").chisel {
	keys = { "fd.sport" },
	key_names = { "Srv Port" },
	value = "evt.rawarg.res", value_name = "Bytes", units = "bytes",
	filter = "(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true", limit = 100,
	container = {
		keys = { "fd.sport", "container.name" },
		key_names = { "Srv Port", "container.name" },
	},
}
