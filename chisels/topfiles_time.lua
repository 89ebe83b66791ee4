-- scry chisel: topfiles_time
description = "Lists the files where processes spent the most time reading and writing. With -pc, files are grouped per container."
short_description = "Files with the most time spent in I/O"
category = "I/O"
args = {}

require("scry_top").chisel {
	keys = { "fd.name" },
	key_names = { "Filename" },
	value = "evt.latency", value_name = "Time", units = "time",
	filter = "fd.type=file and evt.is_io=true", limit = 10,
	container = {
		keys = { "fd.name", "container.name" },
		key_names = { "Filename", "container.name" },
	},
}
