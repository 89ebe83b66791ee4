-- scry chisel: iobytes_file
description = "Adds up the bytes read from and written to files and prints the totals every second of the capture: time, bytes in, bytes out, total."
short_description = "Bytes read and written per second, files"
category = "I/O"
args = {}

require("scry_iobytes").chisel("evt.is_io=true and fd.type=file")
