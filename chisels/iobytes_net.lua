-- scry chisel: iobytes_net
description = "Adds up the bytes read from and written to IPv4 and IPv6 sockets and prints the totals every second of the capture: time, bytes in, bytes out, total."
short_description = "Bytes sent and received per second, network"
category = "Net"
args = {}

require("scry_iobytes").chisel("evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6)")
