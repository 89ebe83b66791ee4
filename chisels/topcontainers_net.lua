-- scry chisel: topcontainers_net
description = "Lists the containers whose processes sent and received the most bytes over IPv4 and IPv6 sockets."
short_description = "Containers moving the most network bytes"
category = "Net"
args = {}

require("scry_top").chisel {
	keys = { "container.name" },
	key_names = { "container.name" },
	value = "evt.rawarg.res", value_name = "Bytes", units = "bytes",
	filter = "(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true and container.name!=host", limit = 100,
}
