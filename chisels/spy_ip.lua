-- scry chisel: spy_ip
description = "Prints the payloads exchanged over IPv4/IPv6 sockets with one IP address, with a header each time the direction changes. The -x, -X and -A flags choose how payloads print."
short_description = "Payloads exchanged with one IP address"
category = "Net"
args = {
	{ name = "host_ip", description = "The IP address of the other end", argtype = "ipv4" },
	{ name = "disable_color", description = "Pass 'disable_colors' to print without colors", argtype = "string", optional = true },
}

-- sysdig's spy_ip labels write headers "Read" as well; scry prints the same.
require("scry_netspy").chisel {
	arg = "host_ip",
	write_word = "Read",
	filter = function(ip) return "evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6) and fd.ip=" .. ip end,
}
