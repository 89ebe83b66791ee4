-- scry chisel: iobytes
description = "Adds up the bytes read from and written to any file descriptor (files, sockets, pipes...) and prints the totals every second of the capture: time, bytes in, bytes out, total."
short_description = "Bytes read and written per second, all descriptors"
category = "I/O"
args = {}

require("scry_iobytes").chisel("evt.is_io=true")
