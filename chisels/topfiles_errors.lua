-- scry chisel: topfiles_errors
description = "Lists the files whose operations failed most often. With -pc, files are grouped per container."
short_description = "Files with the most failed operations"
category = "Errors"
args = {}

require("scry_top").chisel {
	keys = { "fd.name" },
	key_names = { "Filename" },
	value = "evt.count", value_name = "#Errors", units = "none",
	filter = "fd.type=file and evt.failed=true", limit = 100,
	container = {
		keys = { "fd.name", "container.name" },
		key_names = { "Filename", "container.name" },
	},
}
