-- scry chisel: topfiles_bytes
description = "Lists the files with the most bytes read and written. With -pc, files are grouped per container."
short_description = "Files with the most bytes read and written"
category = "I/O"
args = {}

require("scry_top").chisel {
	keys = { "fd.name" },
	key_names = { "Filename" },
	value = "evt.rawarg.res", value_name = "Bytes", units = "bytes",
	filter = "fd.type=file and evt.is_io=true", limit = 10,
	container = {
		keys = { "container.name", "fd.name" },
		key_names = { "container.name", "Filename" },
	},
}
