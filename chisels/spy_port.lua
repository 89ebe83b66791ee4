-- scry chisel: spy_port
description = "Prints the payloads exchanged over IPv4/IPv6 sockets using one port number, with a header each time the direction changes. The -x, -X and -A flags choose how payloads print."
short_description = "Payloads exchanged through one port"
category = "Net"
args = {
	{ name = "host_port", description = "The port number", argtype = "int" },
	{ name = "disable_color", description = "Pass 'disable_colors' to print without colors", argtype = "string", optional = true },
}

require("scry_netspy").chisel {
	arg = "host_port",
	write_word = "Write",
	filter = function(port) return "evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6) and fd.port=" .. port end,
}
