-- scry chisel: topcontainers_file
description = "Lists the containers whose processes read and wrote the most bytes to files."
short_description = "Containers reading and writing the most file bytes"
category = "I/O"
args = {}

require("scry_top").chisel {
	keys = { "container.name" },
	key_names = { "container.name" },
	value = "evt.rawarg.res", value_name = "Bytes", units = "bytes",
	filter = "fd.type=file and evt.is_io=true and container.name!=host", limit = 10,
}
