-- scry chisel: fileslower
description = "Prints the file reads and writes that took longer than the given number of milliseconds (0 prints them all), /dev files excepted: time, process, call, latency and file. With -pc, the container id and name are shown too (blue for containers, green for the host)."
short_description = "File I/O slower than a threshold"
category = "Performance"
args = {
	{ name = "min_ms", description = "Only show I/O slower than this many milliseconds", argtype = "int", optional = false },
	{ name = "disable_color", description = "Pass 'disable_color' to print without colors", argtype = "string", optional = true },
}

require("scry_slow").io_chisel { filter = "evt.is_io=true and fd.type=file", skip_dev = true }
